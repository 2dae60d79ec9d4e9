"""A shopper talking to the assistant over Rasa's REST webhook, for end-to-end tests."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

from bot.config import Settings


class Shopper:
    """One shopper's conversation over Rasa's REST webhook."""

    def __init__(self, settings: Settings) -> None:
        self.url = f"{settings.rasa_url}/webhooks/rest/webhook"
        self.sender = f"comprador-{uuid.uuid4().hex[:8]}"
        self.transcript: list[tuple[str, str]] = []  # (speaker, text) as the shopper saw it

    def says(self, text: str) -> str:
        """Send ``text``; return every reply's text (and button titles), one per line."""
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            replies: list[dict[str, Any]] = json.load(response)
        self.transcript.append(("shopper", text))
        self.transcript += [("bot", reply.get("text") or "") for reply in replies]
        lines = []
        for reply in replies:
            lines.append(reply.get("text") or "")
            lines += [f"[{b['title']}]" for b in reply.get("buttons") or []]
        return "\n".join(lines)
