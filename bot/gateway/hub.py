"""In-process fan-out between shoppers' connections and agents' consoles.

The socket.io server registers how to reach a shopper; each open console registers
a listener. Whoever has news (a bot reply, an agent's message, a queue change)
publishes here and does not need to know who is connected.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

# (session_id, messages in Rasa's REST reply shape: {"text", "buttons", "image", "custom"})
ShopperSink = Callable[[str, list[dict[str, Any]]], Awaitable[None]]
# {"type": "queue" | "message" | "handoff" | ..., ...}: what a console receives
AgentListener = Callable[[dict[str, Any]], Awaitable[None]]


class Hub:
    def __init__(self) -> None:
        self._shopper_sinks: list[ShopperSink] = []
        self._agent_listeners: set[AgentListener] = set()

    def add_shopper_sink(self, sink: ShopperSink) -> None:
        self._shopper_sinks.append(sink)

    async def to_shopper(self, session_id: str, messages: list[dict[str, Any]]) -> None:
        """Push messages to whatever connection the shopper has open (none is fine)."""
        for sink in self._shopper_sinks:
            try:
                await sink(session_id, messages)
            except Exception:  # one broken connection must not stop the others
                log.exception("could not push to shopper %s", session_id)

    def add_agent_listener(self, listener: AgentListener) -> None:
        self._agent_listeners.add(listener)

    def remove_agent_listener(self, listener: AgentListener) -> None:
        self._agent_listeners.discard(listener)

    async def to_agents(self, event: dict[str, Any]) -> None:
        """Tell every open console; a console that fails is dropped, not retried."""
        for listener in list(self._agent_listeners):
            try:
                await listener(event)
            except Exception:
                log.warning("dropping a console listener that failed", exc_info=True)
                self._agent_listeners.discard(listener)
