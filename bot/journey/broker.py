"""Rasa event broker that keeps the journey log up to date (``endpoints.yml``: ``event_broker``).

``publish`` runs inside Rasa's turn, so it only notes which conversation changed and
returns. A background task on Rasa's event loop waits a moment to batch the turn's
events, then lets ``JourneyWriter`` do the database work in a thread. A failed write is
logged and retried with back-off; at start-up the task first replays whatever the
tracker store holds that the log lacks, so a restart or a crash loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.exc import SQLAlchemyError

from bot.config import get_settings
from bot.journey.stages import load_journey
from bot.journey.writer import JourneyWriter
from bot.store.db import create_store_engine

log = logging.getLogger(__name__)

BATCH_SECONDS = 0.2  # how long to gather a turn's events before writing them
SWEEP_SECONDS = 30.0  # how often idle conversations get their outcome
MAX_BACKOFF_SECONDS = 30.0
# Rasa publishes a turn's events just before it commits them; a sender whose newest events
# are still missing after this many batches is left to the next turn or the next replay.
MAX_CATCH_UP_ROUNDS = 50


class JourneyBroker(EventBroker):
    """Collects changed conversations from Rasa and writes them to the journey log in batches."""

    def __init__(
        self,
        writer: JourneyWriter,
        batch_seconds: float = BATCH_SECONDS,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self.writer = writer
        self.batch_seconds = batch_seconds
        self.sweep_seconds = sweep_seconds
        self._pending: dict[str, float] = {}  # sender → newest event timestamp published
        self._rounds: dict[str, int] = {}  # sender → batches spent waiting for Rasa's commit
        self._lock = threading.Lock()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.failures = 0

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig | None, event_loop: Any = None
    ) -> JourneyBroker:
        """Rasa's entry point; options in endpoints.yml: ``url`` (default ``DATABASE_URL``)."""
        settings = get_settings()
        options = dict(broker_config.kwargs) if broker_config else {}
        url = (broker_config.url if broker_config else None) or settings.database_url
        writer = JourneyWriter(
            create_store_engine(url),
            load_journey(),
            secret=settings.secret_key,
            idle_seconds=float(options.get("idle_seconds", settings.journey_idle_seconds)),
        )
        # Sweep at least twice per idle window, so outcomes settle close to on time.
        sweep = min(SWEEP_SECONDS, writer.idle.total_seconds() / 2)
        broker = cls(
            writer,
            batch_seconds=float(options.get("batch_seconds", BATCH_SECONDS)),
            sweep_seconds=float(options.get("sweep_seconds", sweep)),
        )
        broker.start()
        return broker

    def start(self) -> None:
        """Begin the background writer on the running event loop (replay first)."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = self._loop.create_task(self._run())

    def publish(self, event: dict[str, Any]) -> None:
        """Note the sender; never blocks, never raises into Rasa's turn."""
        sender = event.get("sender_id")
        if not sender:
            return
        stamp = float(event.get("timestamp") or time.time())
        with self._lock:
            self._pending[sender] = max(stamp, self._pending.get(sender, 0.0))
        self._notify()

    def is_ready(self) -> bool:
        return self._task is not None and not self._task.done()

    async def close(self) -> None:
        """Write what is pending, then stop (Rasa calls this on shutdown)."""
        self._closing = True
        self._notify()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._task.cancel()
        self.writer.engine.dispose()

    def _notify(self) -> None:
        if self._loop is None or self._wake is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._wake.set()
        else:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        backoff = 1.0
        replayed = False
        next_sweep = 0.0
        while True:
            try:
                if not replayed:
                    behind = await asyncio.to_thread(self.writer.behind)
                    if behind:
                        log.info("journey log: replaying %d conversations", len(behind))
                    await asyncio.to_thread(self.writer.sync, behind)
                    replayed = True
                await self._flush()
                if time.monotonic() >= next_sweep:
                    await asyncio.to_thread(self.writer.close_idle)
                    next_sweep = time.monotonic() + self.sweep_seconds
                backoff = 1.0
            except (SQLAlchemyError, OSError) as error:
                self.failures += 1
                log.error("journey log write failed (retrying in %.0f s): %s", backoff, error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if self._pending:
                continue
            if self._closing:
                return
            await self._wait()

    async def _wait(self) -> None:
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self.sweep_seconds)
        except asyncio.TimeoutError:
            return
        self._wake.clear()
        if not self._closing:
            await asyncio.sleep(self.batch_seconds)

    async def _flush(self) -> None:
        """Write every pending sender; keep those whose newest events Rasa has not committed."""
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return
        try:
            seen = await asyncio.to_thread(self.writer.sync, list(batch))
        except BaseException:
            self._requeue(batch)
            raise
        behind = {}
        for sender, stamp in batch.items():
            rounds = self._rounds.pop(sender, 0) + 1
            if seen.get(sender, 0.0) + 1e-6 < stamp and rounds < MAX_CATCH_UP_ROUNDS:
                behind[sender] = stamp
                self._rounds[sender] = rounds
        if behind:
            self._requeue(behind)
            if not self._closing:
                await asyncio.sleep(self.batch_seconds)

    def _requeue(self, batch: dict[str, float]) -> None:
        with self._lock:
            for sender, stamp in batch.items():
                self._pending[sender] = max(stamp, self._pending.get(sender, 0.0))
