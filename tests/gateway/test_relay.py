"""What the gateway does with a shopper's message before, around and instead of Rasa.

The gateway runs for real (aiohttp test server, SQLite); Rasa is either a closed port
(down) or a stand-in HTTP server that answers like Rasa's channel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.gateway.keys import HUB
from bot.handoff.models import GatewayMessage, Handoff
from bot.handoff.queue import open_handoff
from bot.store.db import create_store_engine
from tests.gateway.helpers import (
    ANA,
    LUIS,
    StandInRasa,
    agent_online,
    gateway,
    migrated_database,
    offline_settings,
)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return migrated_database(tmp_path)


def _rows(url: str, model: Any) -> Iterator[Any]:
    engine = create_store_engine(url)
    with sessionmaker(bind=engine, future=True)() as session:
        rows = list(session.scalars(select(model).order_by(model.id)))
    engine.dispose()
    return iter(rows)


async def _say(client: Any, sender: str, text: str, **extra: Any) -> list[dict[str, Any]]:
    response = await client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": text, **extra}
    )
    assert response.status == 200
    replies: list[dict[str, Any]] = await response.json()
    return replies


async def test_blank_message_is_ignored_without_error_or_reply(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        assert await _say(client, ANA, "   \n\t ") == []
        assert await _say(client, ANA, "") == []
    assert rasa.received == []


async def test_long_message_is_refused_in_spanish_before_it_reaches_rasa(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads", max_message_chars=40)
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        refused = await _say(client, ANA, "mi pedido " * 5)
        assert len(refused) == 1
        assert "demasiado largo" in refused[0]["text"] and "40 caracteres" in refused[0]["text"]
        assert rasa.received == []
        await _say(client, ANA, "x" * 40)
    assert [m["message"] for m in rasa.received] == ["x" * 40]


async def test_rapid_fire_is_slowed_down_per_session(database_url: str, tmp_path: Path) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads", rate_limit_per_minute=3)
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        for text in ("hola", "mi pedido", "no llega"):
            assert "Soy Ruta" in (await _say(client, ANA, text))[0]["text"]
        slowed = await _say(client, ANA, "¿hola?")
        assert slowed[0]["text"].startswith("Vas muy rápido")
        assert "Soy Ruta" in (await _say(client, LUIS, "hola"))[0]["text"]
    assert [m["message"] for m in rasa.received] == ["hola", "mi pedido", "no llega", "hola"]


async def test_resend_with_the_same_message_id_reaches_rasa_once(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        first = await _say(client, ANA, "hola", message_id="m-1")
        again = await _say(client, ANA, "hola", message_id="m-1")
        other = await _say(client, ANA, "hola", message_id="m-2")
    assert first == again == other
    assert len(rasa.received) == 2
    assert [m["metadata"]["message_id"] for m in rasa.received] == ["m-1", "m-2"]
    assert rasa.token_seen == ["test-token", "test-token"]
    rows = list(_rows(database_url, GatewayMessage))
    assert [(r.message_id, r.status, r.channel) for r in rows] == [
        ("m-1", "respondido", "rest"),
        ("m-2", "respondido", "rest"),
    ]
    assert json.loads(rows[0].replies)[0]["text"].startswith("¡Hola!")


async def test_rasa_down_gets_an_honest_answer_and_the_message_is_kept(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        replies = await _say(client, ANA, "¿dónde está mi pedido?", message_id="m-1")
    assert len(replies) == 1
    assert "el asistente no puede responderte" in replies[0]["text"]
    assert "no hay nadie del equipo conectado" in replies[0]["text"]
    (kept,) = _rows(database_url, GatewayMessage)
    assert (kept.text, kept.status) == ("¿dónde está mi pedido?", "fallido")
    assert list(_rows(database_url, Handoff)) == []


async def test_rasa_down_in_agent_hours_with_an_agent_online_brings_a_person(
    database_url: str, tmp_path: Path
) -> None:
    agent_online(database_url)
    settings = offline_settings(database_url, tmp_path / "uploads")
    events: list[dict[str, Any]] = []
    async with gateway(settings) as client:

        async def console(event: dict[str, Any]) -> None:
            events.append(event)

        client.app[HUB].add_agent_listener(console)
        replies = await _say(client, ANA, "mi paquete llegó roto")
    assert "He pasado tu mensaje a una persona del equipo" in replies[0]["text"]
    (handoff,) = _rows(database_url, Handoff)
    assert (handoff.sender_id, handoff.reason, handoff.status) == (
        ANA,
        "asistente_no_disponible",
        "en_cola",
    )
    assert "mi paquete llegó roto" in handoff.summary
    assert {"type": "queue"} in events
    shopper = [e for e in events if e["type"] == "message"]
    assert shopper[0]["text"] == "mi paquete llegó roto" and shopper[0]["speaker"] == "shopper"


async def test_rasa_down_outside_agent_hours_says_when_people_answer(
    database_url: str, tmp_path: Path
) -> None:
    agent_online(database_url)
    # One minute on a day that is not today in Madrid: closed now, whatever the hour.
    other_day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[
        (datetime.now(ZoneInfo("Europe/Madrid")) + timedelta(days=2)).weekday()
    ]
    settings = offline_settings(
        database_url, tmp_path / "uploads", agent_hours=f"{other_day} 10:00-10:01"
    )
    async with gateway(settings) as client:
        replies = await _say(client, ANA, "hola")
    assert "Nuestro equipo atiende los" in replies[0]["text"]
    assert "de 10:00 a 10:01" in replies[0]["text"]
    assert list(_rows(database_url, Handoff)) == []


async def test_slow_rasa_is_cut_off_by_the_gateway_timeout(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads", gateway_timeout_seconds=0.5)
    slow = StandInRasa(delay=5)
    async with slow.serving(settings.rasa_port), gateway(settings) as client:
        replies = await _say(client, ANA, "¿cuánto tarda el envío?")
    assert "el asistente no puede responderte" in replies[0]["text"]
    (kept,) = _rows(database_url, GatewayMessage)
    assert kept.status == "fallido"


async def test_a_message_rasa_answered_too_late_is_not_lived_twice_when_resent(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads", gateway_timeout_seconds=0.5)
    slow = StandInRasa(replies=[{"text": "Tu pedido está en reparto."}], delay=2)
    async with slow.serving(settings.rasa_port), gateway(settings) as client:
        cut = await _say(client, ANA, "¿dónde está mi pedido?", message_id="m-7")
        assert "el asistente no puede responderte" in cut[0]["text"]
        again = await _say(client, ANA, "¿dónde está mi pedido?", message_id="m-7")
    assert [r["text"] for r in again] == ["Tu pedido está en reparto."]
    assert len(slow.received) == 1  # the bot lived the turn once
    assert [r.status for r in _rows(database_url, GatewayMessage)] == ["respondido"]


async def test_a_kept_message_resent_after_rasa_returns_is_answered(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        down = await _say(client, ANA, "hola", message_id="m-1")
        assert "no puede responderte" in down[0]["text"]
        async with StandInRasa().serving(settings.rasa_port) as rasa:
            back = await _say(client, ANA, "hola", message_id="m-1")
    assert back[0]["text"].startswith("¡Hola!")
    assert len(rasa.received) == 1
    assert [r.status for r in _rows(database_url, GatewayMessage)] == ["respondido"]


async def test_handoff_instruction_goes_to_the_consoles_not_to_the_shopper(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    rasa = StandInRasa(
        replies=[
            {"text": "Te paso con una persona del equipo."},
            {"custom": {"handoff": {"id": 7, "reason": "pidio_persona"}}},
        ]
    )
    events: list[dict[str, Any]] = []
    async with rasa.serving(settings.rasa_port), gateway(settings) as client:

        async def console(event: dict[str, Any]) -> None:
            events.append(event)

        client.app[HUB].add_agent_listener(console)
        replies = await _say(client, ANA, "quiero hablar con una persona")
    assert replies == [{"recipient_id": ANA, "text": "Te paso con una persona del equipo."}]
    assert events == [{"type": "queue"}]


async def test_while_a_person_has_the_conversation_the_bot_says_nothing(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_store_engine(database_url)
    with sessionmaker(bind=engine, future=True).begin() as session:
        handoff_id = open_handoff(
            session,
            sender_id=ANA,
            reason="pidio_persona",
            stage="postventa",
            summary="El cliente pidió hablar con una persona.",
            context={},
        ).id
    engine.dispose()
    settings = offline_settings(database_url, tmp_path / "uploads")
    events: list[dict[str, Any]] = []
    rasa = StandInRasa(replies=[{"text": "esto no debería llegar al cliente"}])
    async with rasa.serving(settings.rasa_port), gateway(settings) as client:

        async def console(event: dict[str, Any]) -> None:
            events.append(event)

        client.app[HUB].add_agent_listener(console)
        assert await _say(client, ANA, "¿sigue ahí alguien?") == []
    assert [m["message"] for m in rasa.received] == ["¿sigue ahí alguien?"]
    (event,) = events
    assert event["type"] == "message" and event["handoff_id"] == handoff_id
    assert (event["sender_id"], event["speaker"], event["text"]) == (
        ANA,
        "shopper",
        "¿sigue ahí alguien?",
    )


async def test_script_tags_travel_as_plain_text(database_url: str, tmp_path: Path) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    text = "<script>alert('hola')</script> ¿y mi pedido?"
    async with StandInRasa().serving(settings.rasa_port) as rasa, gateway(settings) as client:
        response = await client.post(
            "/webhooks/rest/webhook", json={"sender": ANA, "message": text}
        )
        assert response.content_type == "application/json"
    assert rasa.received[0]["message"] == text
    assert rasa.received[0]["channel"] == "rest"


async def test_rest_webhook_without_sender_is_a_spanish_bad_request(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        missing = await client.post("/webhooks/rest/webhook", json={"message": "hola"})
        broken = await client.post("/webhooks/rest/webhook", data=b"{hola")
        assert missing.status == broken.status == 400
        assert "sender" in (await missing.json())["error"]
        assert "JSON" in (await broken.json())["error"]


async def test_a_conversation_handed_over_while_rasa_was_down_is_paused_once_it_is_back(
    database_url: str, tmp_path: Path
) -> None:
    agent_online(database_url)
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        await _say(client, ANA, "mi pedido no ha llegado")  # Rasa down: a person takes it
        async with StandInRasa().serving(settings.rasa_port) as rasa:
            assert await _say(client, ANA, "¿hola?") == []
            assert await _say(client, ANA, "sigo aquí") == []
    assert rasa.appended == [(ANA, {"event": "pause"})]
    assert [m["message"] for m in rasa.received] == ["¿hola?", "sigo aquí"]
