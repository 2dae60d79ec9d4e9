"""What the console keeps while the gateway runs: log-in limits, canned replies, open consoles."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from bot.gateway.auth import LoginLimiter
from bot.gateway.canned import CannedReply


@dataclass
class ConsoleState:
    canned: tuple[CannedReply, ...]
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    # Open consoles per agent id: the last one closing takes the agent offline at once.
    connections: dict[int, int] = field(default_factory=dict)
    # One presence write at a time per agent, so "offline" is never overtaken by a late ping.
    presence_locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    pending: set[asyncio.Future[None]] = field(default_factory=set)  # writes that outlive a socket

    def presence_lock(self, agent_id: int) -> asyncio.Lock:
        return self.presence_locks.setdefault(agent_id, asyncio.Lock())


CONSOLE = web.AppKey("console", ConsoleState)
