"""A shopper asks for a person and an agent takes over, against the real Rasa and action server.

Everything is real: the gateway, Rasa and the action server that ``live_services`` starts, the
shopper's socket.io connection, the agent's console API and websocket, and the database the
journey log is written to.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import socketio
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.handoff.models import Handoff
from bot.journey.models import Conversation, Turn
from bot.store.db import create_store_engine
from tests.gateway.console_client import Console, make_account, queue_event

WAIT = 20  # seconds a step may take before the test fails


class Shopper:
    """The widget's socket.io connection, speaking Rasa's socket.io protocol."""

    def __init__(self) -> None:
        self.session_id = secrets.token_hex(16)
        self.sio = socketio.AsyncClient(reconnection=False)
        self.heard: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[Any] = asyncio.Queue()
        self.sio.on("bot_uttered", self.heard.put)
        self.sio.on("session_confirm", self.confirmed.put)

    async def connect(self, url: str) -> None:
        await self.sio.connect(url, transports=["polling"], socketio_path="/socket.io/")
        await self.sio.emit("session_request", {"session_id": self.session_id})
        assert await asyncio.wait_for(self.confirmed.get(), WAIT) == self.session_id

    async def say(self, text: str) -> None:
        await self.sio.emit(
            "user_uttered",
            {"message": text, "session_id": self.session_id, "message_id": uuid.uuid4().hex},
        )

    async def hears(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.heard.get(), WAIT)


@pytest.fixture
async def shopper(live_services: Settings) -> AsyncIterator[Shopper]:
    shopper = Shopper()
    await shopper.connect(f"http://{live_services.host}:{live_services.gateway_port}")
    yield shopper
    await shopper.sio.disconnect()


@pytest.fixture
async def lucia(live_services: Settings) -> AsyncIterator[Console]:
    username = f"lucia-{secrets.token_hex(3)}"
    make_account(live_services.database_url, username, "Lucía")
    console = Console(f"http://{live_services.host}:{live_services.gateway_port}")
    assert (await console.log_in(username)).status == 303
    await console.listen()
    await console.wait_for(lambda e: e["type"] == "hello")
    yield console
    await console.close()


def _rows(url: str, query: Any) -> list[Any]:
    engine = create_store_engine(url)
    with sessionmaker(bind=engine, future=True)() as session:
        rows = list(session.execute(query))
    engine.dispose()
    return rows


async def _journey_turns(url: str, sender: str, until: Any) -> list[tuple[str, str]]:
    """The sender's journey-log turns, once the broker has written what ``until`` waits for."""
    query = (
        select(Turn.speaker, Turn.text)
        .join(Conversation)
        .where(Conversation.sender_id == sender)
        .order_by(Conversation.id, Turn.turn)
    )
    for _ in range(WAIT * 10):
        turns = [(row[0], row[1]) for row in _rows(url, query)]
        if until(turns):
            return turns
        await asyncio.sleep(0.1)
    raise AssertionError(f"the journey log never had it: {turns}")


async def test_agent_takes_over_replies_live_hands_back_and_the_bot_answers_again(
    live_services: Settings, shopper: Shopper, lucia: Console
) -> None:
    url = live_services.database_url
    await shopper.say("quiero hablar con una persona")
    told = await shopper.hears()
    assert told["text"].startswith("Te paso con una persona del equipo")
    assert "handoff" not in told, "the gateway's instruction never reaches the shopper"

    def mine_is_waiting(event: dict[str, Any]) -> bool:
        return event.get("type") == "queue" and any(
            item["sender_id"] == shopper.session_id for item in event["waiting"]
        )

    queued = await lucia.wait_for(mine_is_waiting)
    item = next(i for i in queued["waiting"] if i["sender_id"] == shopper.session_id)
    assert item["reason_label"] == "El cliente pidió hablar con una persona"
    handoff_id = item["id"]
    await lucia.api("POST", f"/handoffs/{handoff_id}/claim")
    await lucia.wait_for(queue_event(lambda waiting, mine: handoff_id in mine))

    detail = await lucia.api("GET", f"/handoffs/{handoff_id}")
    assert [m["text"] for m in detail["transcript"] if m["speaker"] == "shopper"] == [
        "quiero hablar con una persona"
    ]
    assert detail["context"]["intents"] == ["hablar_con_humano"]

    # While Lucía holds it the bot is quiet and the shopper's words reach her console.
    await shopper.say("me llegó la caja abierta <script>alert(1)</script>")
    arrived = await lucia.wait_for(lambda e: e["type"] == "message" and e["speaker"] == "shopper")
    assert arrived["text"] == "me llegó la caja abierta <script>alert(1)</script>"
    reply = "Hola, soy Lucía. Ahora mismo lo miro <b>contigo</b>."
    sent = await lucia.api("POST", f"/handoffs/{handoff_id}/messages", {"text": reply})
    assert sent["message"]["speaker"] == "agent"
    heard = await shopper.hears()
    assert (heard["text"], heard.get("agent")) == (reply, "Lucía"), "no bot reply came first"

    turns = await _journey_turns(url, shopper.session_id, lambda t: ("agent", reply) in t)
    assert turns[-2:] == [
        ("shopper", "me llegó la caja abierta <script>alert(1)</script>"),
        ("agent", reply),
    ]
    history = (await lucia.api("GET", f"/handoffs/{handoff_id}"))["transcript"]
    assert [m["speaker"] for m in history][-2:] == ["shopper", "agent"]

    # Lucía hands back: the bot says it is back, and the shopper who answers that at once,
    # before Lucía's click has even returned, gets the bot and not the agent who just left.
    back = asyncio.create_task(lucia.api("POST", f"/handoffs/{handoff_id}/hand_back"))
    assert (await shopper.hears())["text"].startswith("Vuelves a hablar con Ruta")
    await shopper.say("hola")
    assert (await shopper.hears())["text"].startswith("¡Hola! Soy Ruta")
    assert (await back)["greeted"] is True

    await lucia.api(
        "POST",
        f"/handoffs/{handoff_id}/close",
        {"stage": "postventa", "category": "danado", "note": "Caja abierta al llegar."},
    )
    ((status, stage, category),) = _rows(
        url,
        select(Handoff.status, Handoff.disposition_stage, Handoff.disposition_category).where(
            Handoff.id == handoff_id
        ),
    )
    assert (status, stage, category) == ("cerrada", "postventa", "danado")

    # The same shopper can ask for a person again: a new request joins the queue.
    await shopper.say("quiero hablar con una persona")
    assert (await shopper.hears())["text"].startswith("Te paso con una persona del equipo")
    await lucia.wait_for(
        lambda e: (
            e.get("type") == "queue"
            and any(
                i["sender_id"] == shopper.session_id and i["id"] != handoff_id for i in e["waiting"]
            )
        )
    )
