"""The demo orders cover every status and the situations worth showing, and verify as listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store.db import create_store_engine
from bot.store.demo import DemoOrder, demo_as_json, demo_as_table, demo_orders
from bot.store.models import (
    ORDER_STATUSES,
    Base,
    Category,
    Order,
    OrderItem,
    Product,
    Return,
    Variant,
)
from bot.store.seed import SMALL, seed_store

TODAY = date(2026, 11, 23)
BEFORE_SHIPPING = ("pendiente_pago", "pagado", "preparando", "cancelado")
REQUIRED_KEYS = {"number", "status", "email", "postal_code", "carrier", "tracking_number", "note"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = create_store_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 't.db'}")
    Base.metadata.create_all(engine)
    seed_store(engine=engine, today=TODAY, scale=SMALL)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, future=True) as session:
        yield session


@pytest.fixture
def demo(session: Session) -> list[DemoOrder]:
    return demo_orders(session=session, today=TODAY)


def _order(session: Session, number: str) -> Order:
    return session.scalars(select(Order).where(Order.number == number)).one()


def _by_note(demo: list[DemoOrder], words: str) -> DemoOrder:
    return next(o for o in demo if words in o.note)


def test_one_demo_order_per_status_in_number_order(demo: list[DemoOrder]) -> None:
    assert [o.number for o in demo] == sorted(o.number for o in demo)
    assert demo[0].number == "RU-100001"
    assert [o.status for o in demo[: len(ORDER_STATUSES)]] == list(ORDER_STATUSES)
    assert all(o.number <= "RU-100099" for o in demo)


def test_listed_email_and_postal_code_verify_each_order(
    session: Session, demo: list[DemoOrder]
) -> None:
    owners = set()
    for listed in demo:
        order = _order(session, listed.number)
        assert listed.email == order.customer.email
        assert listed.postal_code == order.ship_postal_code
        owners.add(order.customer_id)
    assert len(owners) == len(demo)


def test_carrier_and_tracking_are_empty_until_the_order_ships(
    session: Session, demo: list[DemoOrder]
) -> None:
    for listed in demo:
        shipments = _order(session, listed.number).shipments
        if listed.status in BEFORE_SHIPPING:
            assert (listed.carrier, listed.tracking_number) == (None, None)
            assert not shipments
        else:
            assert (listed.carrier, listed.tracking_number) == (
                shipments[0].carrier,
                shipments[0].tracking_number,
            )


def test_late_and_lost_parcels_are_in_the_demo(session: Session, demo: list[DemoOrder]) -> None:
    late = _order(session, _by_note(demo, "retrasado").number).shipments[0]
    assert late.status == "retrasado" and late.estimated_delivery < TODAY
    lost = _order(session, _by_note(demo, "perdido").number).shipments[0]
    assert lost.status == "perdido"
    assert lost.events[-1].description.startswith("Incidencia")
    assert TODAY - lost.events[-1].occurred_at.date() >= timedelta(days=7)


def _categories(session: Session, order: Order) -> list[Category]:
    return list(
        session.scalars(
            select(Category)
            .join(Product)
            .join(Variant)
            .join(OrderItem)
            .where(OrderItem.order_id == order.id)
        )
    )


def test_delivered_orders_show_the_return_window_from_both_sides(
    session: Session, demo: list[DemoOrder]
) -> None:
    recent = _order(session, _by_note(demo, "hace 5 días: se puede devolver").number)
    assert recent.delivered_at.date() == TODAY - timedelta(days=5)
    assert all(c.returnable for c in _categories(session, recent))
    old = _order(session, _by_note(demo, "fuera del plazo").number)
    assert old.delivered_at.date() == TODAY - timedelta(days=60)
    mixed = _order(session, _by_note(demo, "no se puede devolver").number)
    returnable = {c.returnable for c in _categories(session, mixed)}
    assert returnable == {True, False} and mixed.status == "entregado"


def test_returns_in_progress_have_a_pending_or_processing_refund(
    session: Session, demo: list[DemoOrder]
) -> None:
    in_progress = [o for o in demo if o.status == "entregado" and "reembolso" in o.note]
    refunds = set()
    for listed in in_progress:
        order = _order(session, listed.number)
        ret = session.scalars(select(Return).where(Return.order_id == order.id)).one()
        refunds.add(ret.refund_status)
    assert refunds == {"pendiente", "procesando"}
    returned = _order(session, next(o.number for o in demo if o.status == "devuelto"))
    completed = session.scalars(select(Return).where(Return.order_id == returned.id)).one()
    assert completed.status == "completada" and completed.refunded_at is not None


def test_json_lists_every_order_with_null_tracking_before_shipping(
    demo: list[DemoOrder],
) -> None:
    listed = json.loads(demo_as_json(demo))
    assert [o["number"] for o in listed] == [o.number for o in demo]
    assert all(set(o) >= REQUIRED_KEYS for o in listed)
    pending = next(o for o in listed if o["status"] == "pendiente_pago")
    assert pending["carrier"] is None and pending["tracking_number"] is None


def test_table_has_a_header_and_one_line_per_order(demo: list[DemoOrder]) -> None:
    lines = demo_as_table(demo).splitlines()
    assert lines[0].split()[:3] == ["Pedido", "Estado", "Email"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == len(demo) + 2
    assert all(
        o.number in line and o.email in line for o, line in zip(demo, lines[2:], strict=True)
    )


def test_demo_is_relative_to_today(tmp_path: Path) -> None:
    later = TODAY + timedelta(days=40)
    engine = create_store_engine(f"sqlite:///{tmp_path / 'later.db'}")
    Base.metadata.create_all(engine)
    seed_store(engine=engine, today=later, scale=SMALL)
    with Session(engine, future=True) as session:
        notes = [o.note for o in demo_orders(session=session, today=later)]
    engine.dispose()
    assert "entregado hace 5 días: se puede devolver" in notes
    assert "retrasado: debía llegar hace 3 días" in notes
