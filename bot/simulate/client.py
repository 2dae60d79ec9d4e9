"""The two ways a shopper reaches the gateway: Rasa's REST webhook and the widget's socket.io.

Both return what the shopper sees for one message as ``BotMessage`` values, so a simulated
shopper reads a reply the same way whichever channel it came through. Socket.io uses the
polling transport: python-engineio's asyncio websocket client needs aiohttp 3.10, and Rasa
pins 3.9 (tests/gateway/test_channels_live.py connects the same way).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import socketio

REPLY_TIMEOUT = 60.0  # seconds: a first turn may load the model's caches


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One bubble in the chat: its text and the buttons under it."""

    text: str
    buttons: tuple[Button, ...] = field(default=())


class GatewayError(RuntimeError):
    """The gateway refused a message or did not answer in time."""


class Channel(Protocol):
    """A shopper's open line to the gateway."""

    channel: str
    session_id: str

    async def open(self) -> None: ...

    async def say(self, text: str) -> list[BotMessage]: ...

    async def close(self) -> None: ...


def _buttons(raw: Any) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(str(b.get("title") or ""), str(b.get("payload") or b.get("title") or ""))
        for b in raw
        if isinstance(b, dict)
    )


class RestChannel:
    """``POST /webhooks/rest/webhook`` with Rasa's request and reply shapes."""

    channel = "rest"

    def __init__(self, gateway_url: str, http: aiohttp.ClientSession) -> None:
        self.url = f"{gateway_url.rstrip('/')}/webhooks/rest/webhook"
        self.http = http
        self.session_id = uuid.uuid4().hex  # unguessable, like the widget's

    async def open(self) -> None:
        return None

    async def say(self, text: str) -> list[BotMessage]:
        body = {"sender": self.session_id, "message": text, "message_id": uuid.uuid4().hex}
        timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT)
        try:
            async with self.http.post(self.url, json=body, timeout=timeout) as response:
                if response.status != 200:
                    raise GatewayError(f"REST webhook answered {response.status}")
                replies = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise GatewayError(f"REST webhook failed: {exc!r}") from exc
        return [
            BotMessage(str(r.get("text") or ""), _buttons(r.get("buttons")))
            for r in replies
            if isinstance(r, dict) and (r.get("text") or r.get("buttons"))
        ]

    async def close(self) -> None:
        return None


class SocketChannel:
    """The widget's protocol: ``session_request`` → ``session_confirm``, then
    ``user_uttered`` answered by ``bot_uttered`` events that arrive before the ack."""

    channel = "widget"

    def __init__(self, gateway_url: str) -> None:
        self.url = gateway_url.rstrip("/")
        self.sio = socketio.AsyncClient(reconnection=False)
        self.session_id = ""
        self._said: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.sio.on("bot_uttered", self._said.put)
        self.sio.on("session_confirm", self._confirmed.put)

    async def open(self) -> None:
        try:
            await self.sio.connect(self.url, transports=["polling"], socketio_path="/socket.io/")
            await self.sio.emit("session_request", {"session_id": uuid.uuid4().hex})
            self.session_id = await asyncio.wait_for(self._confirmed.get(), REPLY_TIMEOUT)
        except (socketio.exceptions.SocketIOError, asyncio.TimeoutError) as exc:
            raise GatewayError(f"socket.io session failed: {exc!r}") from exc

    async def say(self, text: str) -> list[BotMessage]:
        message = {"message": text, "session_id": self.session_id, "message_id": uuid.uuid4().hex}
        try:
            ack = await self.sio.call("user_uttered", message, timeout=REPLY_TIMEOUT)
        except (socketio.exceptions.SocketIOError, asyncio.TimeoutError) as exc:
            raise GatewayError(f"socket.io message failed: {exc!r}") from exc
        if isinstance(ack, dict) and ack.get("ok") is False:
            raise GatewayError(f"socket.io message refused: {ack.get('error')}")
        said: list[BotMessage] = []
        while not self._said.empty():
            payload = self._said.get_nowait()
            quick = [
                {"title": q.get("title"), "payload": q.get("payload")}
                for q in payload.get("quick_replies") or []
                if isinstance(q, dict)
            ]
            if payload.get("text") or quick:
                said.append(BotMessage(str(payload.get("text") or ""), _buttons(quick)))
        return said

    async def close(self) -> None:
        """Close the tab: drop the connection without a goodbye, as a browser does."""
        if self.sio.eio.state == "connected":
            await self.sio.eio.disconnect(abort=True)
