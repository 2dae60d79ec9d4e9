"""Asking for a person: a place in the console's queue when someone can answer, else a ticket."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.fallback import ActionFallbackReformular
from actions.handoff import ActionHandoff, handoff_reason
from bot.config import get_settings
from bot.handoff import queue
from bot.handoff.hours import DAYS, parse_agent_hours
from bot.handoff.models import Agent, Handoff, Upload
from bot.store import store_session
from bot.store.models import Order, Ticket
from tests.actions.helpers import (
    add_photo,
    demo,
    domain,
    make_tracker,
    responses,
    run,
    verified_slots,
)

TRACKING = {"intent": {"name": "rastrear_pedido", "confidence": 0.97}, "entities": []}
ASKS_FOR_PERSON = {"intent": {"name": "hablar_con_humano", "confidence": 0.98}, "entities": []}
LATE_PARCEL_CHAT = [
    {"event": "session_started"},
    {"event": "user", "text": "dónde está mi pedido", "parse_data": TRACKING},
    {"event": "bot", "text": "¿Me das el número de tu pedido?"},
    {"event": "user", "text": "debía llegar hace tres días", "parse_data": TRACKING},
    {"event": "user", "text": "quiero hablar con una persona", "parse_data": ASKS_FOR_PERSON},
]


def _hours(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AGENT_HOURS", value)
    monkeypatch.setenv("AGENT_TIMEZONE", "UTC")
    get_settings.cache_clear()


@pytest.fixture
def open_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    _hours(monkeypatch, "24/7")


@pytest.fixture
def closed_hours(monkeypatch: pytest.MonkeyPatch) -> str:
    """A whole day far from today (UTC), so the test never runs inside it."""
    day = DAYS[(datetime.now(timezone.utc).weekday() + 3) % 7]
    _hours(monkeypatch, f"{day} 09:00-19:00")
    return parse_agent_hours(f"{day} 09:00-19:00", "UTC").describe()


@pytest.fixture
def agent_online() -> Iterator[int]:
    """Lucía has the console open; afterwards she logs off, so other tests see nobody."""
    now = datetime.utcnow()
    with store_session() as session:
        agent = Agent(
            username=f"lucia-{secrets.token_hex(3)}",
            display_name="Lucía",
            password_hash="-",
            role="agente",
            active=True,
            available=True,
            last_seen_at=now,
            created_at=now,
        )
        session.add(agent)
        session.flush()
        agent_id = int(agent.id)
    yield agent_id
    with store_session() as session:
        session.get(Agent, agent_id).last_seen_at = None


def _shopper(**kwargs: object) -> object:
    """A tracker for a new shopper (its own sender id, so requests never mix between tests)."""
    tracker = make_tracker(**kwargs)  # type: ignore[arg-type]
    tracker.sender_id = secrets.token_hex(16)
    return tracker


def _requests(session: Session, sender_id: str) -> list[Handoff]:
    return list(session.scalars(select(Handoff).where(Handoff.sender_id == sender_id)))


def _text(message: dict[str, object]) -> str:
    template = domain()["responses"][message["response"]][0]["text"]
    return str(template.format(**message))


async def test_shopper_with_a_late_parcel_waits_for_an_agent_with_the_whole_context(
    open_hours: None, agent_online: int
) -> None:
    order = demo("RU-100009")
    tracker = _shopper(
        slots=verified_slots(order), intent="hablar_con_humano", events=LATE_PARCEL_CHAT
    )
    photo = add_photo(tracker.sender_id)
    messages, events = await run(ActionHandoff(), tracker)

    assert responses(messages) == ["utter_handoff_en_cola", ""]
    assert events == [{"event": "pause", "timestamp": None}]
    with store_session() as session:
        (request,) = _requests(session, tracker.sender_id)
        assert messages[1]["custom"] == {"handoff": {"id": request.id}}
        assert (request.status, request.reason, request.stage) == (
            "en_cola",
            "pidio_persona",
            "compra",
        )
        context = json.loads(request.context)
        wait = queue.expected_wait_minutes(session, request)
    assert f"te atenderá en {wait} minuto" in _text(messages[0])
    assert context["intents"] == ["rastrear_pedido", "hablar_con_humano"]
    assert context["order"] == {
        "number": "RU-100009",
        "status": "enviado",
        "shipment_status": context["order"]["shipment_status"],
        "late": True,
        "estimated_delivery": context["order"]["estimated_delivery"],
    }
    assert context["slots"]["pedido_verificado"] == "RU-100009"
    assert context["photos"] == [photo]
    assert "quiero hablar con una persona" in request.summary


async def test_outside_hours_the_shopper_hears_when_people_answer_and_gets_a_ticket(
    closed_hours: str, agent_online: int
) -> None:
    order = demo("RU-100006")
    slots = {
        **verified_slots(order),
        "tipo_problema": "danado",
        "descripcion_problema": "La caja llegó aplastada y la taza rota.",
    }
    tracker = _shopper(slots=slots, intent="hablar_con_humano", events=LATE_PARCEL_CHAT)
    photo = add_photo(tracker.sender_id)
    messages, events = await run(ActionHandoff(), tracker)

    assert responses(messages) == ["utter_handoff_fuera_de_horario"]
    assert events == []  # the bot keeps answering: nobody would read a paused chat
    assert messages[0]["horario"] == closed_hours
    assert f"estamos {closed_hours}" in _text(messages[0])
    assert _text(messages[0]).endswith("si quieres, sigo ayudándote yo.")
    with store_session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == messages[0]["ticket"])).one()
        number = session.scalar(select(Order.number).where(Order.id == ticket.order_id))
        (request,) = _requests(session, tracker.sender_id)
        linked = session.scalar(select(Upload.ticket_number).where(Upload.token == photo))
    assert (ticket.category, number, ticket.contact_email) == ("danado", order.number, order.email)
    assert "Cliente: debía llegar hace tres días" in ticket.description
    assert "Ruta: ¿Me das el número de tu pedido?" in ticket.description
    assert (request.status, request.ticket_number) == ("ticket", ticket.number)
    assert linked == ticket.number


async def test_in_hours_with_nobody_online_the_shopper_is_told_so_and_gets_a_ticket(
    open_hours: None,
) -> None:
    tracker = _shopper(intent="hablar_con_humano", events=LATE_PARCEL_CHAT)
    messages, events = await run(ActionHandoff(), tracker)

    assert responses(messages) == ["utter_handoff_sin_agentes"]
    assert events == []
    assert "no hay nadie del equipo libre" in _text(messages[0])
    assert _text(messages[0]).endswith("Mientras tanto, si quieres, sigo ayudándote yo.")
    with store_session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == messages[0]["ticket"])).one()
        (request,) = _requests(session, tracker.sender_id)
    assert ticket.order_id is None and ticket.category == "otro"
    assert request.status == "ticket"


async def test_shopper_handed_back_to_the_bot_can_ask_for_a_person_again(
    open_hours: None, agent_online: int
) -> None:
    tracker = _shopper(intent="hablar_con_humano", events=LATE_PARCEL_CHAT)
    await run(ActionHandoff(), tracker)
    with store_session() as session:
        (first,) = _requests(session, tracker.sender_id)
        queue.claim(session, first.id, agent_online)
        queue.hand_back(session, first.id, agent_online)

    messages, events = await run(ActionHandoff(), tracker)
    assert responses(messages)[0] == "utter_handoff_en_cola"
    assert events == [{"event": "pause", "timestamp": None}]
    with store_session() as session:
        statuses = [r.status for r in _requests(session, tracker.sender_id)]
    assert statuses == ["devuelta", "en_cola"]


async def test_second_misunderstanding_in_a_row_queues_for_a_person_as_repeated_fallback(
    open_hours: None, agent_online: int
) -> None:
    events = [
        {"event": "user", "text": "mi cosa esa", "parse_data": {}},
        {"event": "action", "name": "action_fallback_reformular"},
        {"event": "user", "text": "pues eso que te digo", "parse_data": {}},
    ]
    tracker = _shopper(intent="nlu_fallback", events=events)
    messages, returned = await run(ActionFallbackReformular(), tracker)
    assert responses(messages)[0] == "utter_handoff_en_cola"
    assert returned == [{"event": "pause", "timestamp": None}]
    with store_session() as session:
        (request,) = _requests(session, tracker.sender_id)
    assert request.reason == "fallback_repetido" and request.stage is None


def test_reason_follows_what_happened() -> None:
    assert handoff_reason(make_tracker(intent="hablar_con_humano")) == "pidio_persona"
    assert handoff_reason(make_tracker(intent="nlu_fallback")) == "fallback_repetido"
    blocked = make_tracker(intent="hablar_con_humano", slots={"intentos_verificacion": 3.0})
    assert handoff_reason(blocked) == "limite_verificacion"
    problem = make_tracker(intent="reportar_problema")
    assert handoff_reason(problem) == "problema_sin_resolver"


async def test_unverified_shopper_handoff_carries_no_order(
    open_hours: None, agent_online: int
) -> None:
    tracker = _shopper(
        slots={"numero_pedido": "RU-100009", "credencial": "otra@example.com"},
        intent="hablar_con_humano",
    )
    await run(ActionHandoff(), tracker)
    with store_session() as session:
        (request,) = _requests(session, tracker.sender_id)
    context = json.loads(request.context)
    assert context["order"] is None
    assert context["slots"] == {"credencial": "otra@example.com", "numero_pedido": "RU-100009"}


async def test_handoff_with_the_database_down_still_answers(dead_store: None) -> None:
    messages, _ = await run(ActionHandoff(), make_tracker(intent="hablar_con_humano"))
    assert responses(messages) == ["utter_error_tienda"]
