"""Agents at the console: the live queue, claiming, what each agent sees, closing with a verdict.

The gateway runs for real (aiohttp on a loopback port, SQLite, real websockets); Rasa is a
stand-in or a closed port here. The whole flow against the real Rasa and action server is in
``test_console_live.py``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.gateway.canned import CannedRepliesError, load_canned_replies
from bot.gateway.keys import HUB
from bot.handoff import queue
from bot.handoff.models import Agent, Handoff, Upload
from bot.store.db import create_store_engine
from tests.gateway.console_client import Console, make_account, queue_event
from tests.gateway.helpers import (
    ANA,
    LUIS,
    StandInRasa,
    gateway,
    migrated_database,
    offline_settings,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CONTEXT = {
    "intents": ["rastrear_pedido", "hablar_con_humano"],
    "slots": {"pedido_verificado": "RU-100009"},
    "order": {"number": "RU-100009", "status": "enviado", "late": True},
    "problem": {"category": "retraso", "description": "Debía llegar el lunes."},
    "photos": [],
}


def _db(url: str) -> Any:
    engine = create_store_engine(url)
    return engine, sessionmaker(bind=engine, future=True, expire_on_commit=False)


def open_request(
    url: str,
    sender: str,
    *,
    reason: str = "pidio_persona",
    stage: str | None = "compra",
    minutes_ago: int = 0,
) -> int:
    """What action_handoff leaves in the database when a shopper asks for a person."""
    engine, factory = _db(url)
    with factory.begin() as session:
        handoff = queue.open_handoff(
            session,
            sender_id=sender,
            reason=reason,
            stage=stage,
            summary="El cliente pidió hablar con una persona.",
            context=CONTEXT,
            now=datetime.utcnow() - timedelta(minutes=minutes_ago),
        )
        handoff_id = int(handoff.id)
    engine.dispose()
    return handoff_id


def request_row(url: str, handoff_id: int) -> Handoff:
    engine, factory = _db(url)
    with factory() as session:
        row = session.get(Handoff, handoff_id)
    engine.dispose()
    return row


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = migrated_database(tmp_path)
    make_account(url, "lucia", "Lucía")
    make_account(url, "pedro", "Pedro")
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return offline_settings(database_url, tmp_path / "uploads")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[TestClient]:
    async with gateway(settings) as client:
        yield client


async def _agent(client: TestClient, username: str) -> Console:
    console = Console(f"http://127.0.0.1:{client.port}")
    assert (await console.log_in(username)).status == 303
    return console


@pytest.fixture
async def lucia(client: TestClient) -> AsyncIterator[Console]:
    console = await _agent(client, "lucia")
    yield console
    await console.close()


@pytest.fixture
async def pedro(client: TestClient) -> AsyncIterator[Console]:
    console = await _agent(client, "pedro")
    yield console
    await console.close()


async def test_queue_shows_the_longest_wait_first_with_reason_and_stage_in_spanish(
    database_url: str, lucia: Console
) -> None:
    recent = open_request(database_url, ANA, minutes_ago=1)
    older = open_request(
        database_url, LUIS, reason="limite_verificacion", stage="postventa", minutes_ago=9
    )
    waiting = (await lucia.api("GET", "/queue"))["waiting"]
    assert [item["id"] for item in waiting] == [older, recent]
    first = waiting[0]
    assert first["reason_label"] == "Agotó los intentos de verificar su pedido"
    assert (first["stage_label"], waiting[1]["stage_label"]) == ("Postventa", "Compra")
    assert first["wait_seconds"] >= 9 * 60 and first["agent"] is None


async def test_two_agents_click_at_once_one_gets_it_and_the_other_sees_it_leave(
    database_url: str, lucia: Console, pedro: Console
) -> None:
    handoff_id = open_request(database_url, ANA)
    await lucia.listen()
    await pedro.listen()
    for console in (lucia, pedro):
        await console.wait_for(queue_event(lambda waiting, mine: handoff_id in waiting))

    results = await asyncio.gather(
        lucia.call("POST", f"/handoffs/{handoff_id}/claim"),
        pedro.call("POST", f"/handoffs/{handoff_id}/claim"),
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409]
    winner, loser = (lucia, pedro) if results[0][0] == 200 else (pedro, lucia)
    refusal = next(data for status, data in results if status == 409)
    assert refusal["error"] == "Otra persona del equipo ya está atendiendo esta conversación."

    await loser.wait_for(queue_event(lambda waiting, mine: handoff_id not in waiting + mine))
    await winner.wait_for(queue_event(lambda waiting, mine: mine == [handoff_id]))
    owner = request_row(database_url, handoff_id)
    assert owner.status == "atendida"
    status, _ = await loser.call("GET", f"/handoffs/{handoff_id}")
    assert status == 409


async def test_request_opened_by_the_action_server_appears_without_reloading(
    database_url: str, lucia: Console
) -> None:
    await lucia.listen()
    await lucia.wait_for(queue_event(lambda waiting, mine: waiting == []))
    handoff_id = open_request(database_url, ANA)  # another process: only the table knows
    await lucia.wait_for(queue_event(lambda waiting, mine: waiting == [handoff_id]))


async def test_an_open_console_counts_as_online_and_closing_it_does_not(
    database_url: str, lucia: Console
) -> None:
    engine, factory = _db(database_url)
    try:
        with factory() as session:
            assert queue.agents_online(session) == 0
        await lucia.listen()
        await lucia.wait_for(lambda e: e["type"] == "hello")
        with factory() as session:
            assert queue.agents_online(session) == 1
        assert lucia.ws is not None
        await lucia.ws.close()
        deadline = time.monotonic() + 15  # the gateway notices the closed socket on its own time
        while True:
            with factory() as session:
                seen = session.scalar(select(Agent.last_seen_at).where(Agent.username == "lucia"))
            if seen is None or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert seen is None
    finally:
        engine.dispose()


async def test_an_agent_who_steps_away_is_not_counted_until_they_come_back(
    database_url: str, lucia: Console
) -> None:
    engine, factory = _db(database_url)
    try:
        await lucia.listen()
        await lucia.wait_for(lambda e: e["type"] == "hello")
        assert (await lucia.api("GET", "/me"))["available"] is True

        assert await lucia.api("POST", "/availability", {"available": False}) == {
            "available": False
        }
        with factory() as session:
            assert queue.agents_online(session) == 0  # shoppers now get a ticket, not a wait
        assert (await lucia.api("GET", "/me"))["available"] is False

        await lucia.api("POST", "/availability", {"available": True})
        with factory() as session:
            assert queue.agents_online(session) == 1
    finally:
        engine.dispose()


async def test_availability_needs_a_yes_or_no_and_the_sessions_csrf_token(
    client: TestClient, lucia: Console
) -> None:
    status, refusal = await lucia.call("POST", "/availability", {"available": "no"})
    assert (status, refusal["error"]) == (
        400,
        "Indica si estás disponible (true) o ausente (false).",
    )
    status, _ = await lucia.call("POST", "/availability", {"available": False}, csrf="forged")
    assert status == 403
    stranger = Console(f"http://127.0.0.1:{client.port}")
    try:
        status, _ = await stranger.call("POST", "/availability", {"available": False})
        assert status == 401
    finally:
        await stranger.close()
    assert (await lucia.api("GET", "/me"))["available"] is True


async def test_shopper_message_reaches_the_agent_who_holds_the_chat_as_text_and_nobody_else(
    client: TestClient, settings: Settings, database_url: str, lucia: Console, pedro: Console
) -> None:
    handoff_id = open_request(database_url, ANA)
    await lucia.api("POST", f"/handoffs/{handoff_id}/claim")
    await lucia.listen()
    await pedro.listen()
    text = "<script>alert('hola')</script> ¿hay alguien?"
    async with StandInRasa(replies=[]).serving(settings.rasa_port) as rasa:
        response = await client.post(
            "/webhooks/rest/webhook", json={"sender": ANA, "message": text}
        )
        assert response.status == 200 and await response.json() == []
    assert [m["message"] for m in rasa.received] == [text]  # Rasa logs it while paused

    message = await lucia.wait_for(lambda e: e["type"] == "message")
    assert (message["handoff_id"], message["speaker"], message["text"]) == (
        handoff_id,
        "shopper",
        text,
    )
    await client.app[HUB].to_agents({"type": "queue"})  # events reach a console in order
    await pedro.wait_for(queue_event(lambda waiting, mine: True))
    assert not [e for e in pedro.events if e["type"] == "message"]


async def test_reply_while_rasa_is_down_is_refused_honestly(
    database_url: str, lucia: Console
) -> None:
    handoff_id = open_request(database_url, ANA)
    await lucia.api("POST", f"/handoffs/{handoff_id}/claim")
    status, data = await lucia.call("POST", f"/handoffs/{handoff_id}/messages", {"text": "Hola"})
    assert status == 503 and "no he podido guardar" in data["error"]
    status, data = await lucia.call("POST", f"/handoffs/{handoff_id}/messages", {"text": "   "})
    assert (status, data["error"]) == (400, "Escribe un mensaje antes de enviarlo.")


async def test_only_the_agent_who_claimed_may_reply_or_close(
    database_url: str, lucia: Console, pedro: Console
) -> None:
    handoff_id = open_request(database_url, ANA)
    await lucia.api("POST", f"/handoffs/{handoff_id}/claim")
    status, data = await pedro.call("POST", f"/handoffs/{handoff_id}/messages", {"text": "Hola"})
    assert (status, data["error"]) == (409, "Esta conversación ya no está a tu cargo.")
    verdict = {"stage": "compra", "category": "retraso"}
    status, _ = await pedro.call("POST", f"/handoffs/{handoff_id}/close", verdict)
    assert status == 409
    assert request_row(database_url, handoff_id).status == "atendida"


async def test_closing_a_handed_back_chat_stores_the_agents_verdict(
    database_url: str, lucia: Console
) -> None:
    handoff_id = open_request(database_url, ANA, stage="compra")
    await lucia.api("POST", f"/handoffs/{handoff_id}/claim")
    engine, factory = _db(database_url)
    with factory.begin() as session:
        agent_id = session.scalar(select(Agent.id).where(Agent.username == "lucia"))
        queue.hand_back(session, handoff_id, agent_id)
    engine.dispose()

    status, data = await lucia.call(
        "POST", f"/handoffs/{handoff_id}/close", {"stage": "venta", "category": "danado"}
    )
    assert (status, data["error"]) == (400, "Elige la etapa en la que estaba el cliente.")
    status, data = await lucia.call(
        "POST", f"/handoffs/{handoff_id}/close", {"stage": "postventa", "category": "roto"}
    )
    assert (status, data["error"]) == (400, "Elige la categoría del problema.")
    await lucia.api(
        "POST",
        f"/handoffs/{handoff_id}/close",
        {"stage": "postventa", "category": "danado", "note": "  Llegó roto, no retrasado.  "},
    )
    closed = request_row(database_url, handoff_id)
    assert (closed.status, closed.disposition_stage, closed.disposition_category) == (
        "cerrada",
        "postventa",
        "danado",
    )
    assert closed.disposition_note == "Llegó roto, no retrasado."
    assert (await lucia.api("GET", "/queue"))["mine"] == []


async def test_agent_sees_the_context_packet_and_the_photo_strangers_cannot(
    client: TestClient, settings: Settings, database_url: str, lucia: Console
) -> None:
    handoff_id = open_request(database_url, ANA)
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    (settings.uploads_dir / "f0t0.png").write_bytes(PNG)
    engine, factory = _db(database_url)
    with factory.begin() as session:
        session.add(
            Upload(
                token="f0t0" * 8,
                session_id=ANA,
                filename="caja <rota>.png",
                content_type="image/png",
                size_bytes=len(PNG),
                sha256="0" * 64,
                path="f0t0.png",
                created_at=datetime.utcnow(),
            )
        )
    engine.dispose()

    detail = await lucia.api("GET", f"/handoffs/{handoff_id}")
    assert detail["context"]["order"]["status_label"] == "Enviado"
    assert detail["context"]["problem"]["category_label"] == "Retraso en la entrega"
    assert detail["reason_label"] == "El cliente pidió hablar con una persona"
    assert detail["transcript"] is None and "no responde" in detail["transcript_error"]
    (photo,) = detail["photos"]
    assert photo["filename"] == "caja <rota>.png"  # as text: the script shows it with textContent

    async with lucia.http.get(photo["url"]) as image:
        assert image.status == 200 and await image.read() == PNG
        assert image.headers["Content-Type"] == "image/png"
        assert image.headers["X-Content-Type-Options"] == "nosniff"
    stranger = await client.get(photo["url"])
    assert stranger.status == 401


async def test_options_carry_the_journey_stages_and_canned_replies_signed_by_the_agent(
    lucia: Console,
) -> None:
    options = await lucia.api("GET", "/options")
    assert [s["value"] for s in options["stages"]] == [
        "descubrimiento",
        "consideracion",
        "compra",
        "postventa",
        "recomendacion",
    ]
    assert {"value": "sin_problema", "label": "Sin problema: era una consulta"} in options[
        "categories"
    ]
    greeting = options["canned"][0]
    assert greeting["title"] == "Saludo" and "Soy Lucía" in greeting["text"]


def test_canned_replies_file_is_checked_and_a_mistake_names_its_line(tmp_path: Path) -> None:
    assert all(reply.title and reply.text for reply in load_canned_replies())
    bad = tmp_path / "canned_replies.yml"
    bad.write_text('replies:\n  - title: "Saludo"\n    text: "Hola"\n  - title: "Sin texto"\n')
    with pytest.raises(CannedRepliesError, match="line 4: each reply needs a 'title' and a 'text'"):
        load_canned_replies(bad)
    bad.write_text('replies:\n  - title: "Hola"\n    texto: "¿Qué tal?"\n')
    with pytest.raises(CannedRepliesError, match="line 3: unknown key 'texto'"):
        load_canned_replies(bad)


def test_context_json_is_what_the_console_reads() -> None:
    assert json.loads(json.dumps(CONTEXT)) == CONTEXT
