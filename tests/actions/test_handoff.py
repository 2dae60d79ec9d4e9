"""Asking for a person leaves a record a person can follow up, with the context."""

from __future__ import annotations

from sqlalchemy import select

from actions.handoff import ActionHandoff, handoff_reason
from bot.store import store_session
from bot.store.models import Order, Ticket
from tests.actions.helpers import demo, make_tracker, responses, run, verified_slots


async def test_shopper_who_asks_for_a_person_gets_a_reference_and_the_hours() -> None:
    order = demo("RU-100009")
    events = [
        {"event": "user", "text": "mi pedido va con retraso"},
        {"event": "user", "text": "quiero hablar con una persona"},
    ]
    tracker = make_tracker(slots=verified_slots(order), intent="hablar_con_humano", events=events)
    messages, _ = await run(ActionHandoff(), tracker)
    assert responses(messages) == ["utter_handoff"]
    assert messages[0]["horario"] and messages[0]["ticket"].startswith("TK-")
    with store_session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == messages[0]["ticket"])).one()
        number = session.scalar(select(Order.number).where(Order.id == ticket.order_id))
    assert number == order.number and ticket.contact_email == order.email
    assert "pidió hablar con una persona" in ticket.description
    assert "mi pedido va con retraso" in ticket.description


async def test_unverified_shopper_handoff_carries_no_order() -> None:
    tracker = make_tracker(
        slots={"numero_pedido": "RU-100009", "credencial": "otra@example.com"},
        intent="hablar_con_humano",
    )
    messages, _ = await run(ActionHandoff(), tracker)
    with store_session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == messages[0]["ticket"])).one()
    assert ticket.order_id is None


def test_reason_follows_what_happened() -> None:
    assert handoff_reason(make_tracker(intent="hablar_con_humano")) == "pidio_persona"
    assert handoff_reason(make_tracker(intent="nlu_fallback")) == "fallback_repetido"
    blocked = make_tracker(intent="hablar_con_humano", slots={"intentos_verificacion": 3.0})
    assert handoff_reason(blocked) == "limite_verificacion"


async def test_handoff_with_the_database_down_still_answers(dead_store: None) -> None:
    messages, _ = await run(ActionHandoff(), make_tracker(intent="hablar_con_humano"))
    assert responses(messages) == ["utter_error_tienda"]
