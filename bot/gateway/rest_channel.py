"""``POST /webhooks/rest/webhook``: Rasa's REST channel, request and reply shapes unchanged.

Request {"sender", "message", optional "metadata"}; reply a JSON list of
{"recipient_id", "text", "buttons", "image", "custom"}. A client may add
"message_id" so a resend is answered once (Rasa's channel has no such field).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.gateway.relay import RELAY

CHANNEL = "rest"
MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 255

routes = web.RouteTableDef()


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


@routes.post("/webhooks/rest/webhook")
async def rest_webhook(request: web.Request) -> web.Response:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return web.json_response({"error": "El mensaje es demasiado grande."}, status=413)
    try:
        body: Any = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return _bad_request("El cuerpo de la petición no es JSON válido.")
    if not isinstance(body, dict):
        return _bad_request("Envía un objeto JSON con «sender» y «message».")
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return _bad_request("Falta «sender»: el identificador de la conversación.")
    replies = await request.config_dict[RELAY].handle(
        session_id=sender,
        text=body.get("message"),
        channel=CHANNEL,
        message_id=body.get("message_id"),
        metadata=body.get("metadata"),
    )
    return web.json_response([{"recipient_id": sender, **r} for r in replies])
