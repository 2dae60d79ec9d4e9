"""Clients written for Rasa's own channels, talking to the real gateway in front of real Rasa.

A plain REST client and a socket.io client that know only Rasa's documented protocol
must work unchanged; reloads and resends must neither lose nor repeat a message.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import aiohttp
import pytest
import socketio

from bot.config import Settings
from bot.store.db import create_store_engine, store_session
from bot.store.demo import DemoOrder, demo_orders

WAIT = 60  # seconds: a first turn may load the model's caches


@pytest.fixture(scope="module")
def demo(today_store_url: str) -> dict[str, DemoOrder]:
    engine = create_store_engine(today_store_url)
    with store_session(engine) as session:
        orders = {o.number: o for o in demo_orders(session=session, today=date.today())}
    engine.dispose()
    return orders


def gateway_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.gateway_port}"


def tracker_events(settings: Settings, sender: str) -> list[dict[str, Any]]:
    """What Rasa itself recorded, read from its HTTP API with the token."""
    url = f"{settings.rasa_url}/conversations/{sender}/tracker?token={settings.rasa_token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        events: list[dict[str, Any]] = json.load(response)["events"]
    return events


class RasaSocketClient:
    """A socket.io client that knows only Rasa's documented events and payloads."""

    def __init__(self) -> None:
        # Polling: python-engineio's asyncio websocket client needs aiohttp 3.10 (Rasa pins 3.9).
        self.sio = socketio.AsyncClient(reconnection=False)
        self.said: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.sio.on("bot_uttered", self.said.put)
        self.sio.on("session_confirm", self.confirmed.put)
        self.session_id = ""

    async def open(self, url: str, session_id: str | None) -> None:
        await self.sio.connect(url, transports=["polling"], socketio_path="/socket.io/")
        await self.sio.emit("session_request", {"session_id": session_id})
        self.session_id = await asyncio.wait_for(self.confirmed.get(), WAIT)

    async def says(self, text: str, **extra: Any) -> list[dict[str, Any]]:
        """Send a message; return every bot_uttered it caused (they precede the ack)."""
        await self.sio.call(
            "user_uttered", {"message": text, "session_id": self.session_id, **extra}, timeout=WAIT
        )
        said = []
        while not self.said.empty():
            said.append(self.said.get_nowait())
        return said


@asynccontextmanager
async def widget(settings: Settings, session_id: str | None = None) -> AsyncIterator[Any]:
    client = RasaSocketClient()
    await client.open(gateway_url(settings), session_id)
    try:
        yield client
    finally:
        await client.sio.eio.disconnect(abort=True)  # the tab is closed


def texts(said: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in said)


async def history(settings: Settings, session_id: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{gateway_url(settings)}/widget/history", params={"session_id": session_id}
        ) as response,
    ):
        return response.status, await response.json()


def test_a_plain_rasa_rest_client_works_unchanged(live_services: Settings) -> None:
    body = json.dumps({"sender": f"cliente-{uuid.uuid4().hex[:8]}", "message": "hola"}).encode()
    request = urllib.request.Request(
        f"{gateway_url(live_services)}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        replies = json.load(response)
    sender = json.loads(body)["sender"]
    assert replies[0]["recipient_id"] == sender
    assert replies[0]["text"].startswith("¡Hola!")
    titles = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert "¿Dónde está mi pedido?" in titles
    (said,) = [e for e in tracker_events(live_services, sender) if e["event"] == "user"]
    assert said["text"] == "hola" and said["input_channel"] == "rest"


async def test_a_socketio_client_written_to_rasas_protocol_works_unchanged(
    live_services: Settings,
) -> None:
    async with widget(live_services) as shopper:
        assert len(shopper.session_id) == 32
        said = await shopper.says("hola")
    assert said[0]["text"].startswith("¡Hola!")
    quick = [q for m in said for q in m.get("quick_replies", [])]
    assert {"content_type", "title", "payload"} <= set(quick[0])
    user = [e for e in tracker_events(live_services, shopper.session_id) if e["event"] == "user"]
    assert user[0]["input_channel"] == "widget"  # the journey log's channel


async def test_reconnecting_with_the_same_session_carries_on_the_conversation(
    live_services: Settings, demo: dict[str, DemoOrder]
) -> None:
    order = demo["RU-100004"]
    async with widget(live_services) as first_tab:
        session_id = first_tab.session_id
        await first_tab.says("hola")
        assert "número de tu pedido" in texts(await first_tab.says("¿dónde está mi pedido?"))
    async with widget(live_services, session_id) as after_reload:
        assert after_reload.session_id == session_id
        assert "email" in texts(await after_reload.says(order.number))
        reply = texts(await after_reload.says(order.email))
    assert order.tracking_number in reply
    status, body = await history(live_services, session_id)
    assert status == 200
    shopper_lines = [m["text"] for m in body["messages"] if m["speaker"] == "shopper"]
    assert shopper_lines == ["hola", "¿dónde está mi pedido?", order.number, order.email]
    assert body["messages"][1]["speaker"] == "bot"


async def test_a_resent_message_is_answered_once(live_services: Settings) -> None:
    async with widget(live_services) as shopper:
        first = await shopper.says("¿cuánto tarda el envío a canarias?", message_id="m-7")
    async with widget(live_services, shopper.session_id) as reconnected:
        again = await reconnected.says("¿cuánto tarda el envío a canarias?", message_id="m-7")
    assert [m["text"] for m in again] == [m["text"] for m in first] and first
    user = [e for e in tracker_events(live_services, shopper.session_id) if e["event"] == "user"]
    assert [e["text"] for e in user] == ["¿cuánto tarda el envío a canarias?"]


async def test_a_shopper_cannot_read_another_shoppers_conversation(
    live_services: Settings,
) -> None:
    async with widget(live_services) as ana:
        await ana.says("mi email es ana.garcia@example.com y mi pedido no llega")
    async with widget(live_services) as luis:
        await luis.says("hola")
    status, body = await history(live_services, luis.session_id)
    assert status == 200
    assert "ana.garcia" not in json.dumps(body, ensure_ascii=False)
    for guess in (ana.session_id[:8], "ana", ana.session_id[:-1] + "_"):
        status, body = await history(live_services, guess)
        assert "ana.garcia" not in json.dumps(body, ensure_ascii=False)
        assert status in (200, 400)
    async with aiohttp.ClientSession() as http:
        for listing in ("/conversations", "/widget/sessions", "/widget/history"):
            async with http.get(f"{gateway_url(live_services)}{listing}") as response:
                assert response.status in (400, 404), listing


async def test_script_tags_come_back_as_plain_text(live_services: Settings) -> None:
    attack = "<script>alert('hola')</script><img src=x onerror=alert(1)>"
    async with widget(live_services) as shopper:
        said = await shopper.says(attack)
    assert said and all("<script" not in str(m) for m in said)
    status, body = await history(live_services, shopper.session_id)
    assert status == 200
    (mine,) = [m for m in body["messages"] if m["speaker"] == "shopper"]
    assert mine["text"] == attack  # the exact characters, for the widget to show as text


def test_only_the_gateway_may_use_its_channel_on_rasa(live_services: Settings) -> None:
    """The gateway's channel trusts the channel name it is given, so it wants Rasa's token."""
    body = json.dumps({"sender": "intruso", "message": "hola", "channel": "widget"}).encode()
    url = f"{live_services.rasa_url}/webhooks/gateway/webhook"
    headers = {"Content-Type": "application/json"}
    for query in ("", "?token=otro"):
        request = urllib.request.Request(url + query, data=body, headers=headers)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=WAIT)
        assert refused.value.code == 401
    request = urllib.request.Request(
        f"{url}?token={live_services.rasa_token}", data=body, headers=headers
    )
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        assert json.load(response)[0]["text"].startswith("¡Hola!")
