"""Verifying an order, following its parcel, and cancelling it, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import (
    ActionNotAllowed,
    InvalidInput,
    OrderNotVerified,
    cancel_order,
    check_cancellation,
    tracking_timeline,
    verify_order,
)
from bot.store.models import Customer, Order, OrderItem, Shipment, Variant
from bot.store.orders import masked_address
from tests.conftest import NOW, TODAY
from tests.store.finders import find_order, verified


def test_shopper_verifies_order_with_email_typed_sloppily(session: Session) -> None:
    creds = find_order(session, Order.status == "entregado")
    digits = creds.number.split("-")[1]
    order = verify_order(
        session=session, number=f" #pedido ru {digits} ", email=f"  {creds.email.upper()}. "
    )
    assert order.number == creds.number
    assert order.status == "entregado"
    assert order.lines and all(line.quantity > 0 for line in order.lines)
    assert order.total > 0


def test_shopper_verifies_order_with_postal_code_instead_of_email(session: Session) -> None:
    creds = find_order(session, Order.status == "enviado")
    order = verify_order(session=session, number=creds.number, postal_code=creds.postal_code)
    assert order.number == creds.number


def test_unknown_order_and_wrong_email_get_the_same_answer(session: Session) -> None:
    creds = find_order(session, Order.status == "pagado")
    with pytest.raises(OrderNotVerified) as wrong_email:
        verify_order(session=session, number=creds.number, email="nadie@example.com")
    with pytest.raises(OrderNotVerified) as unknown:
        verify_order(session=session, number="RU-000001", email=creds.email)
    assert type(wrong_email.value) is type(unknown.value)


def test_another_customers_email_does_not_open_my_order(session: Session) -> None:
    mine = find_order(session, Order.status == "entregado")
    other_email = session.scalar(
        select(Customer.email).where(Customer.email != mine.email).order_by(Customer.id).limit(1)
    )
    with pytest.raises(OrderNotVerified):
        verify_order(session=session, number=mine.number, email=other_email)
    with pytest.raises(OrderNotVerified):
        verify_order(session=session, number=mine.number, postal_code="99999")


def test_sql_in_a_field_is_refused_or_matches_nothing(session: Session) -> None:
    creds = find_order(session, Order.status == "entregado")
    with pytest.raises(InvalidInput):
        verify_order(session=session, number="RU-1' OR '1'='1", email=creds.email)
    with pytest.raises((InvalidInput, OrderNotVerified)):
        verify_order(session=session, number=creds.number, email="x@example.com' OR '1'='1")
    with pytest.raises(InvalidInput):
        verify_order(session=session, number=creds.number, postal_code="1' OR 1=1 --")
    assert session.scalar(select(Order.id).where(Order.number == creds.number)) is not None


def test_order_without_email_or_postal_code_is_not_looked_up(session: Session) -> None:
    creds = find_order(session, Order.status == "entregado")
    with pytest.raises(InvalidInput):
        verify_order(session=session, number=creds.number)


def test_forged_verified_order_for_someone_else_finds_nothing(session: Session) -> None:
    mine = verified(session, find_order(session, Order.status == "enviado"))
    forged = dataclasses.replace(mine, customer_id=mine.customer_id + 1)
    with pytest.raises(OrderNotVerified):
        tracking_timeline(session=session, order=forged, today=TODAY)
    with pytest.raises(OrderNotVerified):
        check_cancellation(session=session, order=forged)


def test_tracking_shows_carrier_and_events_in_time_order(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "en_reparto"))
    timeline = tracking_timeline(session=session, order=order, today=TODAY)
    assert timeline.status == "en_reparto"
    (shipment,) = timeline.shipments
    assert shipment.carrier and shipment.tracking_number
    times = [step.occurred_at for step in shipment.steps]
    assert len(times) >= 2 and times == sorted(times)
    assert shipment.last_step is not None and shipment.last_step.location


def test_late_shipment_is_flagged_late(session: Session) -> None:
    creds = find_order(
        session,
        Order.status == "enviado",
        Order.id.in_(select(Shipment.order_id).where(Shipment.status == "retrasado")),
    )
    timeline = tracking_timeline(session=session, order=verified(session, creds), today=TODAY)
    assert timeline.shipments[0].is_late
    assert timeline.shipments[0].estimated_delivery < TODAY


def test_lost_shipment_is_reported_lost(session: Session) -> None:
    creds = find_order(
        session, Order.id.in_(select(Shipment.order_id).where(Shipment.status == "perdido"))
    )
    timeline = tracking_timeline(session=session, order=verified(session, creds), today=TODAY)
    assert timeline.shipments[0].status == "perdido" and timeline.shipments[0].is_late


def test_order_not_shipped_yet_has_no_tracking(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "preparando"))
    assert tracking_timeline(session=session, order=order, today=TODAY).shipments == ()


@pytest.mark.parametrize("status", ["pendiente_pago", "pagado", "preparando"])
def test_order_not_yet_shipped_can_be_cancelled(session: Session, status: str) -> None:
    order = verified(session, find_order(session, Order.status == status))
    check = check_cancellation(session=session, order=order)
    assert check.allowed and check.reason is None
    assert (check.refund > 0) == (order.paid_at is not None)


@pytest.mark.parametrize(
    ("status", "reason", "return_instead"),
    [
        ("enviado", "ya_enviado", True),
        ("en_reparto", "ya_enviado", True),
        ("entregado", "ya_entregado", True),
        ("cancelado", "ya_cancelado", False),
        ("devuelto", "ya_devuelto", False),
    ],
)
def test_shipped_order_cannot_be_cancelled_and_a_return_is_offered(
    session: Session, status: str, reason: str, return_instead: bool
) -> None:
    order = verified(session, find_order(session, Order.status == status))
    check = check_cancellation(session=session, order=order)
    assert not check.allowed
    assert check.reason == reason
    assert check.return_instead is return_instead
    with pytest.raises(ActionNotAllowed):
        cancel_order(session=session, order=order, now=NOW)


def test_cancelling_a_paid_order_restocks_items_and_promises_a_refund(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "pagado"))
    item = session.scalars(select(OrderItem).where(OrderItem.order_id == order.order_id)).first()
    assert item is not None
    stock_before = session.get(Variant, item.variant_id).stock  # type: ignore[union-attr]

    done = cancel_order(session=session, order=order, now=NOW)

    assert done.refund == order.total and done.refund_by is not None and done.refund_by > TODAY
    row = session.get(Order, order.order_id)
    assert row is not None and row.status == "cancelado" and row.cancelled_at == NOW
    variant = session.get(Variant, item.variant_id)
    assert variant is not None and variant.stock >= stock_before + item.quantity
    assert not check_cancellation(session=session, order=order).allowed


def test_cancelling_an_unpaid_order_refunds_nothing(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "pendiente_pago"))
    done = cancel_order(session=session, order=order, now=NOW)
    assert done.refund == 0 and done.refund_by is None


@pytest.mark.parametrize(
    ("line1", "postal_code", "city", "shown"),
    [
        ("Calle de Alcalá, 123, 4ºB", "28013", "Madrid", "Calle de Al***, 28*** Madrid"),
        (
            "Av. Insurgentes Sur 1602",
            "03940",
            "Ciudad de México",
            "Av. In***, 03*** Ciudad de México",
        ),
        ("Carrera 7 # 71-21", "110231", "Bogotá", "Carrera 7***, 11*** Bogotá"),
    ],
)
def test_delivery_address_is_shown_masked(
    line1: str, postal_code: str, city: str, shown: str
) -> None:
    assert masked_address(line1, postal_code, city) == shown


def test_verified_order_carries_only_the_masked_address(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "enviado"))
    street = session.scalar(select(Order.ship_line1).where(Order.id == order.order_id))
    assert "***" in order.ship_address and street not in order.ship_address
