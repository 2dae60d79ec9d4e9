"""The gateway on its own, for tests that need no Rasa: real SQLite, real HTTP, real sockets.

``StandInRasa`` is a real HTTP server on a real port that answers the gateway's input
channel the way Rasa does (and can be slow), for tests about what the gateway does
with an answer; tests about Rasa itself use ``live_services``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.gateway.app import create_app
from bot.handoff.models import Agent
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head
from tests.pg import free_port

# A session id as Rasa's widget makes them (uuid4().hex): unguessable, 32 hex characters.
ANA = "a1" * 16
LUIS = "b2" * 16


def migrated_database(folder: Path) -> str:
    """An empty database at the current schema (the gateway needs no store data)."""
    url = f"sqlite:///{folder / 'gateway.db'}"
    upgrade_to_head(url)
    return url


def offline_settings(database_url: str, uploads_dir: Path, **overrides: Any) -> Settings:
    """Settings whose Rasa port is closed: nothing listens there."""
    settings = Settings(
        database_url=database_url,
        host="127.0.0.1",
        rasa_port=free_port(),
        actions_port=free_port(),
        gateway_port=free_port(),
        rasa_token="test-token",
        seed=11,
        gateway_timeout_seconds=2.0,
        agent_hours="24/7",
        uploads_dir=uploads_dir,
    )
    return replace(settings, **overrides)


@asynccontextmanager
async def gateway(settings: Settings) -> AsyncIterator[TestClient]:
    """The whole gateway application served on a real loopback port."""
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client


def agent_online(database_url: str, username: str = "marta") -> None:
    """An agent whose console is open right now."""
    engine = create_store_engine(database_url)
    with sessionmaker(bind=engine, future=True).begin() as session:
        session.add(
            Agent(
                username=username,
                display_name=username.title(),
                password_hash="not-used-here",
                role="agente",
                active=True,
                available=True,
                last_seen_at=datetime.utcnow(),
                created_at=datetime.utcnow(),
            )
        )
    engine.dispose()


@dataclass
class StandInRasa:
    """Answers ``/webhooks/gateway/webhook`` like Rasa, optionally after a delay."""

    replies: list[dict[str, Any]] = field(
        default_factory=lambda: [{"text": "¡Hola! Soy Ruta, el asistente de la tienda."}]
    )
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    token_seen: list[str] = field(default_factory=list)
    appended: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (sender, event)

    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # the trackers

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        self.token_seen.append(request.query.get("token", ""))
        # The turn is in the tracker even if the answer comes too late for the gateway.
        tracker = self.events.setdefault(body["sender"], [])
        tracker.append({"event": "user", "text": body["message"], "metadata": body["metadata"]})
        tracker.extend(
            {"event": "bot", "text": r.get("text"), "data": {"custom": r.get("custom")}}
            for r in self.replies
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response(
            [{"recipient_id": body["sender"], **reply} for reply in self.replies]
        )

    async def tracker(self, request: web.Request) -> web.Response:
        return web.json_response({"events": self.events.get(request.match_info["sender"], [])})

    async def append_events(self, request: web.Request) -> web.Response:
        for event in await request.json():
            self.appended.append((request.match_info["sender"], event))
        return web.json_response({})

    @asynccontextmanager
    async def serving(self, port: int) -> AsyncIterator[StandInRasa]:
        app = web.Application()
        app.router.add_post("/webhooks/gateway/webhook", self.webhook)
        app.router.add_post("/conversations/{sender}/tracker/events", self.append_events)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        server = TestServer(app, host="127.0.0.1", port=port)
        await server.start_server()
        try:
            yield self
        finally:
            await server.close()
