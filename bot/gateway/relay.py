"""Every shopper message, whatever the channel, goes through ``Relay.handle``.

The order matters: blank and oversized messages never reach Rasa; each message is
recorded (``gateway_messages``, see message_log.py) with its answer, keyed by the id
the widget gave it, so a resend after a reconnect gets that answer and Rasa sees it
once (a message the gateway gave up on is looked up in Rasa's tracker first: Rasa may
have answered it after all);
while a person owns the conversation the message goes to the agents' consoles (and to
Rasa, which is paused and only logs it); when Rasa or the action server fails, the
shopper gets an honest answer and, in agent hours with someone online, a person.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.gateway.hub import Hub
from bot.gateway.limits import RateLimiter, is_message_id, too_fast_text, too_long_text
from bot.gateway.message_log import Entry, MessageLog, Seen
from bot.gateway.rasa_client import RasaClient, RasaRefused, RasaUnavailable, replies_to
from bot.handoff.hours import AgentHours
from bot.handoff.queue import agents_online, expected_wait_minutes, open_handoff

log = logging.getLogger(__name__)

UNAVAILABLE_REASON = "asistente_no_disponible"
MAX_METADATA_CHARS = 2000


def reply(session_id: str, text: str) -> dict[str, Any]:
    """A gateway message to the shopper, in Rasa's REST reply shape."""
    return {"recipient_id": session_id, "text": text}


def _utc_iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def split_handoff(replies: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """Drop the gateway's instructions (``custom.handoff``) from what the shopper sees."""
    kept, handoff = [], False
    for message in replies:
        custom = message.get("custom")
        if isinstance(custom, dict) and "handoff" in custom:
            handoff = True
            rest = {k: v for k, v in custom.items() if k != "handoff"}
            message = {k: v for k, v in message.items() if k != "custom"}
            if rest:
                message["custom"] = rest
            if not any(message.get(k) for k in ("text", "image", "buttons", "custom")):
                continue
        kept.append(message)
    return kept, handoff


class Relay:
    """The shopper side of the gateway: one instance per application."""

    def __init__(
        self, settings: Settings, engine: Engine, hub: Hub, rasa: RasaClient, hours: AgentHours
    ) -> None:
        self.settings = settings
        self.hub = hub
        self.rasa = rasa
        self.hours = hours
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self.log = MessageLog(engine)
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self._inflight: dict[tuple[str, str], asyncio.Future[list[dict[str, Any]]]] = {}
        self._paused: set[int] = set()  # handoffs opened while Rasa was down, paused since

    async def handle(
        self,
        *,
        session_id: str,
        text: object,
        channel: str,
        message_id: object = None,
        metadata: object = None,
    ) -> list[dict[str, Any]]:
        """Everything the shopper should see in answer to one message (may be empty)."""
        if not isinstance(text, str) or not text.strip():
            return []  # blank: ignored, no error, no reply
        if len(text) > self.settings.max_message_chars:
            return [reply(session_id, too_long_text(self.settings.max_message_chars))]
        client_id = message_id if is_message_id(message_id) else None
        mid = str(client_id or uuid.uuid4().hex)
        key = (session_id, mid)
        if key in self._inflight:  # the same message, resent while Rasa still works on it
            return await asyncio.shield(self._inflight[key])
        wait = self.limiter.allow(session_id)
        if wait:
            return [reply(session_id, too_fast_text(wait))]
        future: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        received = datetime.utcnow()
        try:
            seen = await self._seen(session_id, mid, look_up=client_id is not None)
            late = await self._answered_late(session_id, mid) if seen.status == "fallido" else None
            if seen.status == "respondido":
                replies = seen.replies  # a resend: the answer it already had; Rasa saw it once
            elif late is not None:
                replies, handoff = split_handoff(late)
                if handoff:
                    await self.hub.to_agents({"type": "queue"})
                self.log.record(
                    Entry(session_id, mid, channel, text, received, "respondido", replies)
                )
            else:
                status, replies = await self._process(
                    seen, session_id, mid, text, channel, metadata
                )
                self.log.record(Entry(session_id, mid, channel, text, received, status, replies))
            future.set_result(replies)
            return replies
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: a resend waiting on it re-raises, nobody else
            raise
        finally:
            del self._inflight[key]

    async def _answered_late(self, session_id: str, mid: str) -> list[dict[str, Any]] | None:
        """A message the gateway gave up on may still have reached Rasa: then its answer is
        in the tracker, and sending it again would make the bot live the turn twice."""
        try:
            tracker = await self.rasa.tracker(session_id)
        except (RasaUnavailable, RasaRefused):
            return None  # Rasa is still away: the resend gets the honest answer again
        return replies_to(tracker.get("events") or [], mid, session_id)

    async def _seen(self, session_id: str, mid: str, *, look_up: bool) -> Seen:
        """What the database knows; if it cannot say, the shopper still gets an answer."""
        try:
            return await self.log.seen(session_id, mid, look_up=look_up)
        except SQLAlchemyError:
            log.exception("could not read the message log for %s", session_id)
            return Seen()

    async def _process(
        self,
        seen: Seen,
        session_id: str,
        mid: str,
        text: str,
        channel: str,
        metadata: object,
    ) -> tuple[str, list[dict[str, Any]]]:
        """(status, replies) for a message the gateway has not answered yet."""
        meta = _client_metadata(metadata)
        meta["message_id"] = mid
        if seen.handoff_id is not None:
            await self._to_person(seen, session_id, text, channel, meta)
            return "respondido", []
        try:
            raw = await self.rasa.send(session_id, text, channel=channel, metadata=meta)
            if not raw and not await self.rasa.action_server_alive():
                raise RasaUnavailable("the action server does not answer")
        except (RasaUnavailable, RasaRefused) as exc:  # refused: a wrong token, for instance
            log.error("message %s/%s kept as fallido: %s", session_id, mid, exc)
            return "fallido", await self._unavailable(session_id, text, channel)
        replies, handoff = split_handoff(raw)
        if handoff:
            await self.hub.to_agents({"type": "queue"})
        return "respondido", replies

    async def _to_person(
        self,
        seen: Seen,
        session_id: str,
        text: str,
        channel: str,
        meta: dict[str, Any],
    ) -> None:
        """A person owns the conversation: the agents see it; Rasa only logs it."""
        try:
            if seen.handoff_reason == UNAVAILABLE_REASON and seen.handoff_id not in self._paused:
                # Rasa was down when this handoff opened, so nothing paused it.
                await self.rasa.append_events(session_id, [{"event": "pause"}])
                self._paused.add(int(seen.handoff_id or 0))
            await self.rasa.send(session_id, text, channel=channel, metadata=meta)
        except (RasaUnavailable, RasaRefused) as exc:
            log.warning("Rasa did not log %s's message during a handoff: %s", session_id, exc)
        await self.hub.to_agents(
            {
                "type": "message",
                "handoff_id": seen.handoff_id,
                "sender_id": session_id,
                "speaker": "shopper",
                "text": text,
                "timestamp": _utc_iso(datetime.utcnow()),
            }
        )

    async def _unavailable(self, session_id: str, text: str, channel: str) -> list[dict[str, Any]]:
        """Rasa failed: say so honestly; in agent hours with someone online, queue a person."""
        if not self.hours.open_at():
            return [
                reply(
                    session_id,
                    "Perdona, ahora mismo el asistente no puede responderte. He guardado tu "
                    "mensaje; inténtalo de nuevo en unos minutos. Nuestro equipo atiende "
                    f"{self.hours.describe()}.",
                )
            ]
        try:
            opened = await asyncio.to_thread(self._open_unavailable, session_id, text, channel)
        except SQLAlchemyError:
            log.exception("could not queue %s for a person while Rasa is down", session_id)
            opened = None
        if opened is None:
            return [
                reply(
                    session_id,
                    "Perdona, ahora mismo el asistente no puede responderte y no hay nadie del "
                    "equipo conectado. He guardado tu mensaje; inténtalo de nuevo en unos minutos.",
                )
            ]
        handoff_id, minutes = opened
        await self.hub.to_agents({"type": "queue"})
        await self.hub.to_agents(
            {
                "type": "message",
                "handoff_id": handoff_id,
                "sender_id": session_id,
                "speaker": "shopper",
                "text": text,
                "timestamp": _utc_iso(datetime.utcnow()),
            }
        )
        wait = "un minuto" if minutes == 1 else f"unos {minutes} minutos"
        return [
            reply(
                session_id,
                "Perdona, ahora mismo el asistente no puede responderte. He pasado tu mensaje "
                f"a una persona del equipo, que te contestará aquí en {wait}.",
            )
        ]

    # Database work, run on a worker thread.

    def _open_unavailable(self, session_id: str, text: str, channel: str) -> tuple[int, int] | None:
        with self._sessions.begin() as session:
            if agents_online(session) == 0:
                return None
            handoff = open_handoff(
                session,
                sender_id=session_id,
                reason=UNAVAILABLE_REASON,
                stage=None,
                summary=(
                    "El asistente no respondió (caído o demasiado lento).\n\n"
                    f"Último mensaje del cliente:\n- {text}"
                ),
                context={"channel": channel, "message": text},
            )
            return handoff.id, expected_wait_minutes(session, handoff)


def _client_metadata(metadata: object) -> dict[str, Any]:
    """The client's own metadata (Rasa's ``metadata``/``customData``), if small and an object."""
    if not isinstance(metadata, dict):
        return {}
    try:
        if len(json.dumps(metadata, default=str)) > MAX_METADATA_CHARS:
            return {}
    except (TypeError, ValueError):
        return {}
    return {str(k): v for k, v in metadata.items() if k not in ("message_id", "agent")}


RELAY = web.AppKey("relay", Relay)
