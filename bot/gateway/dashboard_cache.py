"""Recent dashboard results by filter: a report over a big log takes seconds to compute.

Results are kept for ``ttl`` seconds (the log grows all the time, so not longer), at most
``size`` of them. Two analysts asking for the same thing share one computation, and only one
computation runs at a time: the gateway shares two cores with Rasa, and each report loads
spaCy's pipeline into memory.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

from aiohttp import web

T = TypeVar("T")
TTL_SECONDS = 120.0
MAX_ENTRIES = 32


class ResultCache:
    def __init__(self, ttl: float = TTL_SECONDS, size: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.size = size
        self._done: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}
        self._one_at_a_time = asyncio.Lock()

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The fresh result for ``key``, computing it (once, however many ask) if needed."""
        hit = self._done.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return cast(T, hit[1])
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._compute(key, compute))
            pending.add_done_callback(_retrieve)  # its error is logged by whoever awaits it
            self._pending[key] = pending
        # A page closed mid-way must not cancel what other analysts are waiting for.
        return cast(T, await asyncio.shield(pending))

    async def _compute(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        try:
            async with self._one_at_a_time:
                value = await compute()
            self._done[key] = (time.monotonic(), value)
            self._done.move_to_end(key)
            while len(self._done) > self.size:
                self._done.popitem(last=False)
            return value
        finally:
            del self._pending[key]

    def clear(self) -> None:
        self._done.clear()


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark the error as seen even when every waiter left, so asyncio does not warn."""
    if not future.cancelled():
        future.exception()


DASHBOARD_CACHE = web.AppKey("dashboard_cache", ResultCache)
