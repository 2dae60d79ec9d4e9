"""The gateway's one way to talk to the Rasa server: messages, tracker events, history.

Every call has the gateway's own timeout (``GATEWAY_TIMEOUT``): Rasa itself waits up
to 300 s for a dead action server, and a shopper must not. Anything that is not a
clean answer (refused connection, 5xx, timeout) is ``RasaUnavailable`` so callers can
answer honestly in Spanish instead of leaving the shopper waiting.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.config import Settings

log = logging.getLogger(__name__)

# Messages the widget shows after a reload; older ones stay in the tracker.
HISTORY_LIMIT = 200


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with a server error."""


class RasaRefused(RuntimeError):
    """Rasa answered 4xx: a bad request or token, a bug to log rather than to apologise for."""


class RasaClient:
    """HTTP client for Rasa's HTTP API and the gateway's input channel on the Rasa server."""

    def __init__(self, settings: Settings) -> None:
        self.base_url = settings.rasa_url
        self.token = settings.rasa_token
        self.actions_health_url = f"http://{settings.host}:{settings.actions_port}/health"
        self.timeout = aiohttp.ClientTimeout(total=settings.gateway_timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created on first use, inside the running event loop (aiohttp requires it).
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                connector=aiohttp.TCPConnector(limit=100),
                headers={"Accept": "application/json"},
            )
        return self._session

    async def action_server_alive(self) -> bool:
        """Whether the action server answers its health check (Rasa hides its failures)."""
        try:
            async with self._client().get(
                self.actions_health_url, timeout=aiohttp.ClientTimeout(total=2)
            ) as response:
                return response.status == 200
        except (asyncio.TimeoutError, aiohttp.ClientError):
            return False

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> Any:
        url = f"{self.base_url}{path}"
        query = {"token": self.token, **(params or {})}
        try:
            async with self._client().request(
                method, url, params=query, json=json_body
            ) as response:
                if response.status >= 500:
                    body = (await response.text())[:200]
                    raise RasaUnavailable(f"Rasa answered {response.status} on {path}: {body}")
                if response.status >= 400:
                    body = (await response.text())[:200]
                    raise RasaRefused(f"Rasa refused {method} {path}: {response.status} {body}")
                return await response.json(content_type=None)
        except asyncio.TimeoutError as exc:
            raise RasaUnavailable(
                f"Rasa took longer than {self.timeout.total} s on {path}"
            ) from exc
        except aiohttp.ClientError as exc:
            raise RasaUnavailable(f"Rasa is not reachable on {path}: {exc}") from exc

    async def send(
        self,
        sender_id: str,
        text: str,
        *,
        channel: str,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """One shopper message through the gateway's input channel; Rasa's REST reply list."""
        body = {"sender": sender_id, "message": text, "channel": channel, "metadata": metadata}
        replies = await self._request("POST", "/webhooks/gateway/webhook", json_body=body)
        return list(replies or [])

    async def append_events(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """Add events (an agent's ``bot`` message, ``pause``, ``resume``) to the tracker."""
        await self._request(
            "POST",
            f"/conversations/{quote(sender_id, safe='')}/tracker/events",
            params={"include_events": "NONE"},
            json_body=events,
        )

    async def execute(self, sender_id: str, action: str) -> list[dict[str, Any]]:
        """Run one action (the greeting after a hand-back) and return what the bot said."""
        result = await self._request(
            "POST",
            f"/conversations/{quote(sender_id, safe='')}/execute",
            params={"output_channel": "collector", "include_events": "NONE"},
            json_body={"name": action},
        )
        return list((result or {}).get("messages") or [])

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The whole tracker, every session included."""
        result = await self._request(
            "GET",
            f"/conversations/{quote(sender_id, safe='')}/tracker",
            params={"include_events": "ALL"},
        )
        return dict(result or {})

    async def history(self, sender_id: str) -> list[dict[str, Any]]:
        """The conversation as the widget shows it, oldest first."""
        return conversation_history((await self.tracker(sender_id)).get("events") or [])


def replies_to(events: list[dict[str, Any]], message_id: str, recipient: str) -> list[Any] | None:
    """What the bot said to one shopper message, from the tracker; None if Rasa never saw it.

    Rasa saves a turn's events together, once it has answered, so a message it saw always
    has its answer next to it.
    """
    replies: list[dict[str, Any]] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if replies is not None:
                break
            metadata = event.get("metadata")
            if isinstance(metadata, dict) and metadata.get("message_id") == message_id:
                replies = []
        elif kind == "bot" and replies is not None:
            data = event.get("data") or {}
            reply: dict[str, Any] = {"recipient_id": recipient}
            if event.get("text"):
                reply["text"] = event["text"]
            for key in ("buttons", "image", "custom", "attachment"):
                if data.get(key):
                    reply[key] = data[key]
            replies.append(reply)
    return replies


def conversation_history(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tracker events → [{"id", "speaker", "text", "buttons", "image", "timestamp"}].

    A button press is stored by Rasa as its payload (``/afirmar``); the shopper saw the
    button's title, so that is what the history shows.
    """
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for index, event in enumerate(events):
        kind = event.get("event")
        metadata = event.get("metadata") or {}
        if kind == "user":
            text = event.get("text") or ""
            if not text.strip():
                continue
            message_id = metadata.get("message_id") if isinstance(metadata, dict) else None
            messages.append(
                {
                    "id": str(message_id or f"e{index}"),
                    "speaker": "shopper",
                    "text": titles.get(text, text),
                    "buttons": [],
                    "image": None,
                    "timestamp": event.get("timestamp"),
                }
            )
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in data.get("buttons") or []
                if isinstance(b, dict)
            ]
            titles = {b["payload"]: b["title"] for b in buttons} or titles
            text, image = event.get("text") or "", data.get("image")
            if not text and not image:
                continue
            agent = metadata.get("agent") if isinstance(metadata, dict) else None
            message = {
                "id": f"e{index}",
                "speaker": "agent" if agent is not None else "bot",
                "text": text,
                "buttons": buttons,
                "image": image,
                "timestamp": event.get("timestamp"),
            }
            if agent is not None:  # the name the shopper saw live, not the login
                message["agent"] = metadata.get("agent_name") or agent
            messages.append(message)
    return messages[-HISTORY_LIMIT:]
