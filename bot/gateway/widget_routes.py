"""What the widget needs besides its live channel: history, photo upload, its own files.

Widget endpoints are public, so a session id is the shopper's only key: history is
served only for unguessable ids (the same rule socket.io applies), and nothing lists
sessions.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.gateway.keys import ENGINE, HUB, RASA, SETTINGS
from bot.gateway.limits import RateLimiter, is_session_id, too_fast_text
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.relay import RELAY
from bot.gateway.uploads import UploadRefused, save_upload, too_big_text
from bot.handoff.models import GatewayMessage

log = logging.getLogger(__name__)

GATEWAY_DIR = Path(__file__).resolve().parent
STATIC_DIR = GATEWAY_DIR / "static"
VENDOR_JS = GATEWAY_DIR / "vendor" / "node_modules" / "socket.io-client" / "dist"
CHUNK_BYTES = 64 * 1024

routes = web.RouteTableDef()
# The widget runs on the store's own site, another origin than the gateway's. Its endpoints
# carry no cookies (the session id is the key), so any origin may call them, like socket.io.
WIDGET_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


@web.middleware
async def widget_cors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Let a store's page read the widget endpoints' answers, errors included."""
    if not request.path.startswith("/widget/"):
        return await handler(request)
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=WIDGET_CORS)
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(WIDGET_CORS)
        raise
    response.headers.update(WIDGET_CORS)
    return response


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class HistoryLimits:
    """Reading a conversation costs Rasa a whole tracker: a budget per session and per address.

    A page load or a reconnect reads it once; the per-address budget (ten sessions' worth)
    also slows anyone trying session ids in bulk, though guessing one is hopeless anyway.
    """

    ADDRESS_FACTOR = 10

    def __init__(self, per_minute: int) -> None:
        self.per_session = RateLimiter(per_minute)
        self.per_address = RateLimiter(per_minute * self.ADDRESS_FACTOR)

    def wait(self, session_id: str, address: str) -> int:
        return self.per_address.allow(address) or self.per_session.allow(session_id)


HISTORY_LIMITS = web.AppKey("history_limits", HistoryLimits)


@routes.get("/widget/history")
async def history(request: web.Request) -> web.Response:
    session_id = request.query.get("session_id", "")
    if not is_session_id(session_id):
        return _error(400, "Esa conversación no existe.")
    wait = request.config_dict[HISTORY_LIMITS].wait(session_id, request.remote or "")
    if wait:
        return _error(429, too_fast_text(wait))
    try:
        messages = await request.config_dict[RASA].history(session_id)
    except RasaUnavailable as exc:
        log.error("history for the widget failed: %s", exc)
        return _error(503, "Ahora mismo no puedo recuperar tu conversación. Inténtalo en un rato.")
    kept = await asyncio.to_thread(_kept_messages, request.config_dict[ENGINE], session_id)
    merged = sorted(messages + kept, key=lambda m: float(m.get("timestamp") or 0))
    return web.json_response({"session_id": session_id, "messages": merged})


def _kept_messages(engine: Any, session_id: str) -> list[dict[str, Any]]:
    """Messages Rasa never saw (it was down), with the answer the shopper got then."""
    factory = sessionmaker(bind=engine, future=True)
    with factory() as session:
        rows = session.scalars(
            select(GatewayMessage)
            .where(GatewayMessage.session_id == session_id, GatewayMessage.status == "fallido")
            .order_by(GatewayMessage.id)
        ).all()
    messages: list[dict[str, Any]] = []
    for row in rows:
        stamp = row.received_at.replace(tzinfo=timezone.utc).timestamp()
        messages.append(_message(row.message_id, "shopper", row.text, stamp))
        for index, answer in enumerate(json.loads(row.replies or "[]")):
            text = answer.get("text") or ""
            messages.append(_message(f"{row.message_id}-r{index}", "bot", text, stamp + 0.001))
    return messages


def _message(message_id: str, speaker: str, text: str, stamp: float) -> dict[str, Any]:
    return {
        "id": message_id,
        "speaker": speaker,
        "text": text,
        "buttons": [],
        "image": None,
        "timestamp": stamp,
    }


@routes.post("/widget/upload")
async def upload(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    limit = settings.upload_max_bytes
    if request.content_length is not None and request.content_length > limit + CHUNK_BYTES:
        return _error(413, too_big_text(limit))
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError):
        return _error(400, "Envía la foto como formulario (multipart/form-data).")
    session_id, filename, data = "", None, b""
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "session_id":
            session_id = (await part.text())[:200]
        elif part.name == "file":
            filename = part.filename
            data = await _read_limited(part, limit)
            if len(data) > limit:
                return _error(413, too_big_text(limit))
    if not is_session_id(session_id):
        return _error(400, "Esa conversación no existe.")
    if not data:
        return _error(400, "No me ha llegado ninguna foto. ¿Puedes volver a elegirla?")
    wait = request.config_dict[RELAY].limiter.allow(session_id)
    if wait:
        return _error(429, too_fast_text(wait))
    factory = sessionmaker(bind=request.config_dict[ENGINE], future=True, expire_on_commit=False)

    def store() -> Any:
        with factory.begin() as session:
            return save_upload(
                session,
                uploads_dir=settings.uploads_dir,
                session_id=session_id,
                filename=filename,
                data=data,
            )

    try:
        stored = await asyncio.to_thread(store)
    except UploadRefused as exc:
        return _error(415, str(exc))
    await request.config_dict[HUB].to_agents(
        {
            "type": "upload",
            "sender_id": session_id,
            "token": stored.token,
            "ticket_number": stored.ticket_number,
            "timestamp": datetime.utcnow().isoformat(timespec="seconds") + "Z",
        }
    )
    return web.json_response({"token": stored.token, "ticket_number": stored.ticket_number})


async def _read_limited(part: BodyPartReader, limit: int) -> bytes:
    """The part's bytes, stopping one chunk past ``limit`` so a huge file costs nothing."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(CHUNK_BYTES):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)


def _file(path: Path, cache: str) -> web.StreamResponse:
    if not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Cache-Control": cache})


# The demo store page, the widget's own files and the pinned socket.io client, by URL.
FILES = {
    "/": (STATIC_DIR / "demo.html", "no-cache"),
    "/widget.js": (STATIC_DIR / "widget.js", "no-cache"),
    "/widget.css": (STATIC_DIR / "widget.css", "no-cache"),
    "/vendor/socket.io.min.js": (VENDOR_JS / "socket.io.min.js", "public, max-age=86400"),
}


def _serve(path: Path, cache: str) -> Any:
    async def handler(_: web.Request) -> web.StreamResponse:
        return _file(path, cache)

    return handler


for _url, (_path, _cache) in FILES.items():
    routes.get(_url)(_serve(_path, _cache))


@routes.get("/static/{name:.+}")
async def static_file(request: web.Request) -> web.StreamResponse:
    """Any file under ``static/`` (images of the demo page, fonts); never outside it."""
    target = (STATIC_DIR / request.match_info["name"]).resolve()
    if not target.is_relative_to(STATIC_DIR):
        raise web.HTTPNotFound()
    return _file(target, "no-cache")
