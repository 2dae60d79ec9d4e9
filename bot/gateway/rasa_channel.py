"""Rasa input channel the gateway sends shoppers' messages through.

Rasa's REST channel records every message as channel ``rest``; this one takes the
shopper's real channel from the gateway (``widget`` for socket.io, ``rest`` for REST
clients) so the journey log knows where each conversation came from. It answers
with the same reply list as the REST channel. Only the gateway may use it: it trusts
the channel and metadata it is given, so it asks for Rasa's token (``RASA_TOKEN``).
"""

from __future__ import annotations

import logging
import secrets
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import load_settings

log = logging.getLogger(__name__)

CHANNELS = ("widget", "rest")


class GatewayInput(InputChannel):
    """``POST /webhooks/gateway/webhook`` {"sender", "message", "channel", "metadata"}."""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        token = load_settings().rasa_token
        webhook = Blueprint("gateway_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            given = request.args.get("token") or ""
            if not secrets.compare_digest(given.encode(), token.encode()):
                return response.json({"error": "token required"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender or not isinstance(text, str):
                return response.json({"error": "sender and message are required"}, status=400)
            channel = body.get("channel") if body.get("channel") in CHANNELS else "rest"
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=channel, metadata=metadata)
                )
            except CancelledError:
                log.error("gateway message from %s timed out inside Rasa", sender)
            except Exception:
                log.exception("gateway message from %s failed inside Rasa", sender)
                return response.json({"error": "the message could not be processed"}, status=500)
            return response.json(collector.messages)

        return webhook
