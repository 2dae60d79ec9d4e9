"""Returns and refunds as a shopper meets them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import ActionNotAllowed, InvalidInput, check_return, create_return, refund_status
from bot.store.models import Order, Return
from bot.store.records import ReturnLine
from tests.conftest import NOW, TODAY
from tests.store.finders import delivered_days_ago, find_order, has_category, no_returns, verified


def _recent_returnable(session: Session):  # type: ignore[no-untyped-def]
    creds = find_order(session, *delivered_days_ago(2, 20), ~has_category(False), no_returns())
    return verified(session, creds)


def test_unused_item_delivered_last_week_can_be_returned(session: Session) -> None:
    order = _recent_returnable(session)
    check = check_return(session=session, order=order, today=TODAY)
    assert check.eligible and check.reason is None
    assert check.deadline is not None and check.deadline >= TODAY
    assert all(item.eligible and item.returnable_quantity > 0 for item in check.items)


def test_return_refused_after_window_names_the_deadline(session: Session) -> None:
    order = verified(
        session, find_order(session, *delivered_days_ago(45, 200), ~has_category(False))
    )
    check = check_return(session=session, order=order, today=TODAY)
    assert not check.eligible
    assert {item.reason for item in check.items} <= {"fuera_de_plazo", "ya_devuelto"}
    late = next(item for item in check.items if item.reason == "fuera_de_plazo")
    assert late.detail == str(check.deadline) and check.deadline < TODAY  # type: ignore[operator]


def test_underwear_is_not_returnable_and_the_shopper_is_told_why(session: Session) -> None:
    order = verified(session, find_order(session, *delivered_days_ago(2, 20), has_category(False)))
    check = check_return(session=session, order=order, today=TODAY)
    refused = [i for i in check.items if i.reason == "categoria_no_retornable"]
    assert refused and all(item.detail for item in refused)


def test_faulty_item_returns_even_from_an_excluded_category_or_after_the_window(
    session: Session,
) -> None:
    excluded = verified(
        session, find_order(session, *delivered_days_ago(2, 20), has_category(False))
    )
    old = verified(session, find_order(session, *delivered_days_ago(45, 200)))
    for order in (excluded, old):
        check = check_return(session=session, order=order, condition="defectuoso", today=TODAY)
        assert any(item.eligible for item in check.items)


def test_used_item_that_is_not_faulty_does_not_return(session: Session) -> None:
    order = _recent_returnable(session)
    check = check_return(session=session, order=order, condition="usado", today=TODAY)
    assert not check.eligible and {i.reason for i in check.items} == {"usado"}


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("enviado", "no_entregado"),
        ("preparando", "no_entregado"),
        ("cancelado", "cancelado"),
        ("devuelto", "devuelto"),
    ],
)
def test_order_that_was_not_delivered_cannot_be_returned(
    session: Session, status: str, reason: str
) -> None:
    order = verified(session, find_order(session, Order.status == status))
    check = check_return(session=session, order=order, today=TODAY)
    assert not check.eligible and check.reason == reason and check.items == ()
    with pytest.raises(ActionNotAllowed):
        create_return(session=session, order=order, reason="talla", now=NOW)


def test_accepted_return_gives_rma_code_refund_and_send_by_date(session: Session) -> None:
    order = _recent_returnable(session)
    first = order.lines[0]
    created = create_return(
        session=session,
        order=order,
        reason="Talla",
        lines=[ReturnLine(first.item_id, 1)],
        now=NOW,
    )
    assert created.rma_code.startswith("RMA-") and len(created.rma_code) == 11
    assert created.refund == first.unit_price
    assert created.send_by == TODAY + timedelta(days=14)
    assert created.items == (first.product_name,)
    stored = session.scalars(select(Return).where(Return.rma_code == created.rma_code)).one()
    assert stored.status == "aprobada" and stored.refund_status == "pendiente"


def test_item_already_returned_cannot_be_returned_twice(session: Session) -> None:
    order = _recent_returnable(session)
    create_return(session=session, order=order, reason="no_gusta", now=NOW)
    check = check_return(session=session, order=order, today=TODAY)
    assert not check.eligible and {i.reason for i in check.items} == {"ya_devuelto"}
    with pytest.raises(ActionNotAllowed):
        create_return(session=session, order=order, reason="no_gusta", now=NOW)


def test_return_of_an_item_from_another_order_is_refused(session: Session) -> None:
    order = _recent_returnable(session)
    with pytest.raises(InvalidInput):
        check_return(session=session, order=order, item_ids=[999_999_999], today=TODAY)
    with pytest.raises(InvalidInput):
        create_return(
            session=session,
            order=order,
            reason="talla",
            lines=[ReturnLine(999_999_999, 1)],
            now=NOW,
        )


def test_return_with_unknown_reason_or_too_many_units_is_refused(session: Session) -> None:
    order = _recent_returnable(session)
    with pytest.raises(InvalidInput):
        create_return(session=session, order=order, reason="porque sí", now=NOW)
    line = order.lines[0]
    with pytest.raises(InvalidInput):
        create_return(
            session=session,
            order=order,
            reason="talla",
            lines=[ReturnLine(line.item_id, line.quantity + 1)],
            now=NOW,
        )


@pytest.mark.parametrize("state", ["pendiente", "procesando", "completado", "rechazado"])
def test_refund_status_reports_each_state_with_amount(session: Session, state: str) -> None:
    order = verified(
        session,
        find_order(
            session, Order.id.in_(select(Return.order_id).where(Return.refund_status == state))
        ),
    )
    refunds = refund_status(session=session, order=order, today=TODAY)
    mine = [r for r in refunds if r.status == state]
    assert mine and all(r.rma_code and r.amount > 0 for r in mine)
    for refund in mine:
        if state == "completado":
            assert refund.refunded_at is not None and refund.expected_by is None
        if state in ("pendiente", "procesando"):
            assert refund.expected_by is not None
        if state == "rechazado":
            assert refund.rejection_reason


def test_paid_then_cancelled_order_shows_its_refund(session: Session) -> None:
    order = verified(
        session, find_order(session, Order.status == "cancelado", Order.paid_at.is_not(None))
    )
    (refund,) = [
        r
        for r in refund_status(session=session, order=order, today=TODAY)
        if r.source == "cancelacion"
    ]
    assert refund.amount == order.total and refund.expected_by is not None


def test_order_with_nothing_to_refund_says_so(session: Session) -> None:
    order = verified(session, find_order(session, Order.status == "enviado", no_returns()))
    assert refund_status(session=session, order=order, today=TODAY) == ()
