"""The gateway's record of shopper messages (``gateway_messages``), kept off the turn's path.

A turn reads (was this message id seen? does a person own the conversation?) and
never waits for a write: on SQLite the gateway shares one file with Rasa's tracker
store and the journey log, a write there can wait a hundred milliseconds for the lock,
and every lock the gateway holds stalls Rasa (whose tracker store writes on its event
loop). Writes go to a queue that one background task commits once a second; recent
answers are also kept in memory, so a resend a moment later is answered at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.handoff.models import GatewayMessage
from bot.handoff.queue import active_handoff_reason

log = logging.getLogger(__name__)

RECENT_ANSWERS = 10_000
BATCH_SECONDS = 1.0
Key = tuple[str, str]  # (session_id, message_id)


@dataclass(frozen=True)
class Seen:
    """What is known about a message and its conversation when it arrives."""

    status: str | None = None  # None: never seen; respondido | fallido
    replies: list[dict[str, Any]] = field(default_factory=list)
    handoff_id: int | None = None
    handoff_reason: str | None = None


@dataclass(frozen=True)
class Entry:
    session_id: str
    message_id: str
    channel: str
    text: str
    received_at: datetime
    status: str
    replies: list[dict[str, Any]]


class MessageLog:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self._recent: OrderedDict[Key, tuple[str, list[dict[str, Any]]]] = OrderedDict()
        self._queue: asyncio.Queue[Entry] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._hurry = asyncio.Event()  # set when the gateway stops: write now

    async def seen(self, session_id: str, message_id: str, *, look_up: bool) -> Seen:
        """The message's state (``look_up=False``: the id is new, skip that query)."""
        cached = self._recent.get((session_id, message_id)) if look_up else None
        return await asyncio.to_thread(
            self._read, session_id, message_id, look_up and cached is None, cached
        )

    def _read(
        self,
        session_id: str,
        message_id: str,
        look_up: bool,
        cached: tuple[str, list[dict[str, Any]]] | None,
    ) -> Seen:
        # Columns, not objects: this runs on every turn, and a handoff row carries its whole
        # context packet.
        with self._sessions() as session:
            status, replies = cached or (None, [])
            if look_up:
                row = session.execute(
                    select(GatewayMessage.status, GatewayMessage.replies).where(
                        GatewayMessage.session_id == session_id,
                        GatewayMessage.message_id == message_id,
                    )
                ).first()
                if row is not None and row.status in ("respondido", "fallido"):
                    status, replies = row.status, json.loads(row.replies or "[]")
            handoff = active_handoff_reason(session, session_id)
        if handoff is None:
            return Seen(status, replies)
        return Seen(status, replies, *handoff)

    def record(self, entry: Entry) -> None:
        """Remember the answer now; the row is written by the background task."""
        key = (entry.session_id, entry.message_id)
        self._recent[key] = (entry.status, entry.replies)
        self._recent.move_to_end(key)
        while len(self._recent) > RECENT_ANSWERS:
            self._recent.popitem(last=False)
        self._queue.put_nowait(entry)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_loop())

    async def flush(self, timeout: float = 15.0) -> None:
        """Write everything queued (the gateway calls this before it stops)."""
        if self._writer is None or self._writer.done():
            return
        self._hurry.set()
        try:
            await asyncio.wait_for(self._queue.join(), timeout)
        except asyncio.TimeoutError:
            log.error("%d shopper message(s) could not be recorded", self._queue.qsize())
        self._writer.cancel()

    async def _write_loop(self) -> None:
        while True:
            batch = [await self._queue.get()]
            # Gather a second's worth: one short write lock a second, not one per turn.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._hurry.wait(), BATCH_SECONDS)
            while not self._queue.empty() and len(batch) < 500:
                batch.append(self._queue.get_nowait())
            try:
                await asyncio.to_thread(self._write, batch)
            except SQLAlchemyError:
                log.exception("could not record %d shopper message(s); retrying", len(batch))
                await asyncio.sleep(1)
                for entry in batch:
                    self._queue.put_nowait(entry)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write(self, batch: list[Entry]) -> None:
        """Upsert each message by (session, message id) in one statement; the latest state wins."""
        now = datetime.utcnow()
        latest = {(entry.session_id, entry.message_id): entry for entry in batch}
        rows = [
            {
                "session_id": entry.session_id,
                "message_id": entry.message_id,
                "channel": entry.channel,
                "text": entry.text,
                "received_at": entry.received_at,
                "status": entry.status,
                "replies": json.dumps(entry.replies, ensure_ascii=False),
                "answered_at": now,
            }
            for entry in latest.values()
        ]
        with self._sessions.begin() as session:
            insert = _INSERT[session.get_bind().dialect.name](GatewayMessage.__table__)
            session.execute(
                insert.on_conflict_do_update(
                    index_elements=["session_id", "message_id"],
                    set_={
                        "status": insert.excluded.status,
                        "replies": insert.excluded.replies,
                        "answered_at": insert.excluded.answered_at,
                    },
                ),
                rows,
            )


# Both databases Ruta runs on can upsert; one statement per batch instead of two per row.
_INSERT = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}
