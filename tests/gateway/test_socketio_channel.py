"""The widget's socket.io channel, spoken by python-socketio's client as Rasa's widget speaks it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import socketio

from bot.gateway.keys import HUB
from bot.gateway.socketio_channel import bot_uttered_payloads
from tests.gateway.helpers import ANA, StandInRasa, gateway, migrated_database, offline_settings

WAIT = 10  # seconds a test waits for an event before it fails


class Widget:
    """One browser tab: a socket.io connection that records what the bot says."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.said: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[Any] = asyncio.Queue()
        self.sio.on("bot_uttered", self.said.put)
        self.sio.on("session_confirm", self.confirmed.put)

    async def start(self, url: str, session_id: str | None = None) -> str:
        # python-engineio 4.15's asyncio client needs aiohttp 3.10 for websockets; Rasa pins
        # 3.9.5, so this client polls (browsers use websockets: see test_websocket_transport).
        await self.sio.connect(url, transports=["polling"], socketio_path="/socket.io/")
        await self.sio.emit("session_request", {"session_id": session_id})
        return str(await asyncio.wait_for(self.confirmed.get(), WAIT))

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.said.get(), WAIT)


@asynccontextmanager
async def tab(url: str, session_id: str | None = None) -> AsyncIterator[tuple[Widget, str]]:
    widget = Widget()
    confirmed = await widget.start(url, session_id)
    try:
        yield widget, confirmed
    finally:
        # Dropped like a closed tab; a polite polling disconnect waits out a 25 s long-poll.
        await widget.sio.eio.disconnect(abort=True)


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    return offline_settings(migrated_database(tmp_path), tmp_path / "uploads")


def test_replies_take_the_shapes_rasas_socketio_channel_sends() -> None:
    message = {
        "recipient_id": ANA,
        "text": "Tu pedido está enviado.\n\n¿Algo más?",
        "buttons": [{"title": "Sí", "payload": "/afirmar"}, {"title": "No", "payload": "/negar"}],
    }
    assert bot_uttered_payloads(message) == [
        {"text": "Tu pedido está enviado."},
        {
            "text": "¿Algo más?",
            "quick_replies": [
                {"content_type": "text", "title": "Sí", "payload": "/afirmar"},
                {"content_type": "text", "title": "No", "payload": "/negar"},
            ],
        },
    ]
    assert bot_uttered_payloads({"image": "https://tienda.example/p.jpg"}) == [
        {"attachment": {"type": "image", "payload": {"src": "https://tienda.example/p.jpg"}}}
    ]
    assert bot_uttered_payloads({"custom": {"valoracion": [1, 5]}}) == [{"valoracion": [1, 5]}]


async def test_a_new_widget_gets_an_unguessable_session_id(settings: Any) -> None:
    async with StandInRasa().serving(settings.rasa_port), gateway(settings) as client:
        url = str(client.make_url("/"))
        async with tab(url) as (_, fresh), tab(url, "ana") as (_, guessable):
            assert len(fresh) == 32 and int(fresh, 16) >= 0
            assert guessable != "ana" and len(guessable) == 32
        async with tab(url, ANA) as (_, kept):
            assert kept == ANA


async def test_shopper_says_hello_and_every_tab_of_the_session_hears_the_bot(
    settings: Any,
) -> None:
    rasa = StandInRasa(
        replies=[
            {
                "text": "¡Hola! Soy Ruta.",
                "buttons": [{"title": "¿Dónde está mi pedido?", "payload": "/rastrear_pedido"}],
            }
        ]
    )
    async with rasa.serving(settings.rasa_port), gateway(settings) as client:
        url = str(client.make_url("/"))
        async with (
            tab(url, ANA) as (first, _),
            tab(url, ANA) as (second, _),
            tab(url) as (stranger, _),
        ):
            ack = await first.sio.call(
                "user_uttered", {"message": "hola", "session_id": ANA, "message_id": "m-1"}
            )
            assert ack == {"ok": True, "message_id": "m-1"}
            for widget in (first, second):
                said = await widget.next()
                assert said["text"] == "¡Hola! Soy Ruta."
                assert said["quick_replies"][0]["payload"] == "/rastrear_pedido"
                assert said["reply_to"] == "m-1"
            assert stranger.said.empty()
    assert rasa.received[0]["channel"] == "widget"
    assert rasa.received[0]["sender"] == ANA


async def test_a_socket_cannot_speak_for_another_session(settings: Any) -> None:
    other = "c3" * 16
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        widget_url = str(client.make_url("/"))
        async with tab(widget_url, ANA) as (widget, _):
            await widget.sio.call("user_uttered", {"message": "hola", "session_id": other})
            await widget.next()
    assert [m["sender"] for m in rasa.received] == [ANA]


async def test_a_person_writing_through_the_hub_reaches_the_shoppers_widget(
    settings: Any,
) -> None:
    async with gateway(settings) as client:
        widget_url = str(client.make_url("/"))
        async with tab(widget_url, ANA) as (widget, _):
            await client.app[HUB].to_shopper(
                ANA, [{"text": "Hola, soy Marta. Ya veo tu pedido.", "agent": "Marta"}]
            )
            said = await widget.next()
    assert said == {"text": "Hola, soy Marta. Ya veo tu pedido.", "agent": "Marta"}


async def test_blank_socket_message_is_acknowledged_and_gets_no_reply(settings: Any) -> None:
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        widget_url = str(client.make_url("/"))
        async with tab(widget_url, ANA) as (widget, _):
            ack = await widget.sio.call("user_uttered", {"message": "  ", "session_id": ANA})
            assert ack["ok"] is True
            assert widget.said.empty()
    assert rasa.received == []
