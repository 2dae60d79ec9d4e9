"""What the console keeps while the gateway runs: log-in limits, canned replies, open consoles."""

from __future__ import annotations

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


CONSOLE = web.AppKey("console", ConsoleState)
