"""Problem reports leave a ticket a person can act on."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import InvalidInput, create_ticket
from bot.store.models import Order, Ticket
from tests.conftest import NOW
from tests.store.finders import find_order, verified


def test_damaged_item_opens_high_priority_ticket_on_the_order(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "entregado"))
    ticket = create_ticket(
        session=session,
        category="Dañado",
        description="La caja llegó aplastada y la zapatilla izquierda está rota.",
        order=order,
        now=NOW,
    )
    assert ticket.number.startswith("TK-") and ticket.priority == "alta"
    assert ticket.next_step == "reposicion_o_reembolso"
    stored = session.scalars(select(Ticket).where(Ticket.number == ticket.number)).one()
    assert stored.order_id == order.order_id and stored.customer_id == order.customer_id
    assert stored.status == "abierto"


@pytest.mark.parametrize(
    ("category", "next_step"),
    [
        ("retraso", "reclamacion_transportista"),
        ("perdido", "reclamacion_transportista"),
        ("incorrecto", "reposicion"),
        ("incompleto", "envio_pendiente"),
        ("pago", "revision_pago"),
    ],
)
def test_each_problem_gets_a_concrete_next_step(
    session: Session, category: str, next_step: str
) -> None:
    order = verified(session, find_order(session, Order.status == "enviado"))
    ticket = create_ticket(
        session=session, category=category, description="No sé qué pasa.", order=order, now=NOW
    )
    assert ticket.next_step == next_step


def test_ticket_without_order_keeps_only_the_contact_typed(session: Session) -> None:
    ticket = create_ticket(
        session=session,
        category="otro",
        description="¿Hacéis envíos a Andorra?",
        contact_email=" Marta@Example.ES ",
        now=NOW,
    )
    stored = session.scalars(select(Ticket).where(Ticket.number == ticket.number)).one()
    assert stored.order_id is None and stored.customer_id is None
    assert stored.contact_email == "marta@example.es" and ticket.priority == "baja"


def test_sql_and_emoji_in_the_description_are_kept_as_written(session: Session) -> None:
    text = "Robert'); DROP TABLE store_tickets;-- 😡📦"
    ticket = create_ticket(session=session, category="otro", description=text, now=NOW)
    stored = session.scalars(select(Ticket).where(Ticket.number == ticket.number)).one()
    assert stored.description == text


def test_huge_description_is_cut_not_refused(session: Session) -> None:
    ticket = create_ticket(session=session, category="otro", description="a" * 50_000, now=NOW)
    stored = session.scalars(select(Ticket).where(Ticket.number == ticket.number)).one()
    assert len(stored.description) == 2000


@pytest.mark.parametrize(
    ("category", "description", "email"),
    [("roto", "algo", None), ("otro", "   ", None), ("otro", "algo", "no-es-un-correo")],
)
def test_ticket_with_bad_fields_is_refused(
    session: Session, category: str, description: str, email: str | None
) -> None:
    with pytest.raises(InvalidInput):
        create_ticket(
            session=session,
            category=category,
            description=description,
            contact_email=email,
            now=NOW,
        )
