"""The widget's live channel: socket.io with Rasa's event names and payloads.

A client written for Rasa's socket.io channel works unchanged: ``session_request``
→ ``session_confirm`` (the session id), ``user_uttered`` {"message", "session_id"} →
``bot_uttered`` payloads shaped as Rasa's ``SocketIOOutput`` shapes them. Session
persistence is always on: each session id is a room (joined with ``await``, which
Rasa's own channel forgets on python-socketio 5.18), so every tab and every
reconnect of that session gets the replies, and agents' messages reach it too.

Extensions a Rasa client may ignore: ``user_uttered`` may carry ``message_id`` (a
resend is answered once) and ``customData``/``metadata``; the ack of ``user_uttered``
is {"ok": true, "message_id"}; bot payloads may carry ``reply_to`` (the message they
answer) and ``agent`` (the person who wrote it).
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from aiohttp import web

from bot.gateway.keys import HUB
from bot.gateway.limits import is_message_id, is_session_id, new_session_id
from bot.gateway.relay import RELAY

log = logging.getLogger(__name__)

SOCKETIO_PATH = "socket.io"
CHANNEL = "widget"
MAX_PACKET_BYTES = 64 * 1024  # a message is at most a few KB; the upload has its own endpoint
SIO = web.AppKey("socketio", socketio.AsyncServer)


def bot_uttered_payloads(message: dict[str, Any]) -> list[dict[str, Any]]:
    """One Rasa REST reply → the ``bot_uttered`` payloads Rasa's socket.io channel would send."""
    extra = {k: message[k] for k in ("agent", "reply_to") if message.get(k) is not None}
    payloads: list[dict[str, Any]] = []
    text = message.get("text")
    buttons = message.get("buttons") or []
    if isinstance(text, str) and text.strip():
        parts = [part for part in text.strip().split("\n\n") if part.strip()] or [text]
        payloads += [{"text": part, **extra} for part in parts]
        if buttons:
            payloads[-1]["quick_replies"] = [
                {"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload")}
                for b in buttons
                if isinstance(b, dict)
            ]
    if message.get("image"):
        payloads.append(
            {"attachment": {"type": "image", "payload": {"src": message["image"]}}, **extra}
        )
    if isinstance(message.get("attachment"), dict):
        payloads.append({"attachment": message["attachment"], **extra})
    if isinstance(message.get("custom"), dict):
        payloads.append(dict(message["custom"]))
    return payloads


def setup_socketio(app: web.Application) -> socketio.AsyncServer:
    """Attach the socket.io server at ``/socket.io/`` and connect it to the hub."""
    # The widget is embedded on the store's own site, another origin than the gateway's.
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        cors_allowed_origins="*",
        max_http_buffer_size=MAX_PACKET_BYTES,
        logger=False,
        engineio_logger=False,
    )
    sio.attach(app, socketio_path=SOCKETIO_PATH)
    app[SIO] = sio

    async def emit(session_id: str, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            for payload in bot_uttered_payloads(message):
                await sio.emit("bot_uttered", payload, room=session_id)

    app[HUB].add_shopper_sink(emit)

    @sio.on("session_request")
    async def session_request(sid: str, data: Any) -> None:
        proposed = data.get("session_id") if isinstance(data, dict) else None
        session_id = str(proposed) if is_session_id(proposed) else new_session_id()
        await _join(sio, sid, session_id)
        await sio.emit("session_confirm", session_id, room=sid)

    @sio.on("user_uttered")
    async def user_uttered(sid: str, data: Any) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            return None
        session_id = (await sio.get_session(sid)).get("session_id")
        if session_id is None:
            # A client that skipped session_request: adopt its id only if unguessable.
            proposed = data.get("session_id")
            if not is_session_id(proposed):
                log.warning("user_uttered without a session on socket %s: ignored", sid)
                return {"ok": False, "error": "session_request first"}
            session_id = str(proposed)
            await _join(sio, sid, session_id)
        message_id = data.get("message_id")
        metadata = data.get("customData", data.get("metadata"))
        replies = await app[RELAY].handle(
            session_id=session_id,
            text=data.get("message"),
            channel=CHANNEL,
            message_id=message_id,
            metadata=metadata,
        )
        reply_to = message_id if is_message_id(message_id) else None
        await emit(session_id, [{**r, "reply_to": reply_to} for r in replies])
        return {"ok": True, "message_id": reply_to}

    async def shutdown(_app: web.Application) -> None:
        await sio.shutdown()

    app.on_shutdown.append(shutdown)  # type: ignore[arg-type]
    return sio


async def _join(sio: socketio.AsyncServer, sid: str, session_id: str) -> None:
    """Bind the socket to one session: a socket speaks for one shopper only."""
    current = (await sio.get_session(sid)).get("session_id")
    if current and current != session_id:
        await sio.leave_room(sid, current)
    await sio.save_session(sid, {"session_id": session_id})
    await sio.enter_room(sid, session_id)
