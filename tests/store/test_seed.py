"""The seeded store is big enough, complete, consistent, repeatable and seeded only once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.store.db import create_store_engine
from bot.store.models import (
    ORDER_STATUSES,
    RETURN_STATUSES,
    TICKET_CATEGORIES,
    TICKET_PRIORITIES,
    TICKET_STATUSES,
    Address,
    Base,
    Category,
    Customer,
    Order,
    OrderItem,
    PaymentMethod,
    Product,
    Promotion,
    Return,
    ReturnItem,
    Shipment,
    ShippingZone,
    StorePolicy,
    Ticket,
    TrackingEvent,
    Variant,
)
from bot.store.normalize import fold, normalize_postal_code
from bot.store.policies import match_zone
from bot.store.seed import FULL, MODELS, SMALL, SeedReport, SeedScale, seed_store

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0)
SHIPPED_STATUSES = ("enviado", "en_reparto", "entregado", "devuelto")
REFUND_FOR = {
    "solicitada": "pendiente",
    "aprobada": "pendiente",
    "en_transito": "pendiente",
    "recibida": "procesando",
    "completada": "completado",
    "rechazada": "rechazado",
}


def _seeded_engine(path: Path, scale: SeedScale) -> tuple[Engine, SeedReport]:
    engine = create_store_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return engine, seed_store(engine=engine, today=TODAY, scale=scale)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, SeedReport]]:
    engine, report = _seeded_engine(tmp_path_factory.mktemp("full") / "t.db", FULL)
    yield engine, report
    engine.dispose()


@pytest.fixture
def session(full: tuple[Engine, SeedReport]) -> Iterator[Session]:
    with Session(full[0], future=True) as session:
        yield session


def _count(session: Session, *conditions: object, model: type = Order) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def test_full_scale_meets_the_minimum_counts(full: tuple[Engine, SeedReport]) -> None:
    _, report = full
    assert report.seeded
    assert report.counts["store_products"] >= 300
    assert report.counts["store_customers"] == 2000
    assert report.counts["store_addresses"] == 2000
    assert report.counts["store_orders"] == 10000
    assert report.counts["store_tickets"] >= 200
    assert 8 <= report.counts["store_categories"] <= 15
    assert report.seconds < 30


def test_every_order_status_is_present_with_most_orders_delivered(session: Session) -> None:
    counts = dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
    assert set(counts) == set(ORDER_STATUSES)
    assert 0.55 <= counts["entregado"] / sum(counts.values()) <= 0.60


def test_every_return_status_is_present_with_its_refund_status(session: Session) -> None:
    pairs = session.execute(
        select(Return.status, Return.refund_status, func.count()).group_by(
            Return.status, Return.refund_status
        )
    ).all()
    assert {status for status, _, _ in pairs} == set(RETURN_STATUSES)
    assert all(REFUND_FOR[status] == refund for status, refund, _ in pairs)
    assert (
        _count(
            session, (Return.status == "completada") != Return.refunded_at.isnot(None), model=Return
        )
        == 0
    )
    assert (
        _count(
            session,
            (Return.status == "rechazada") != Return.rejection_reason.isnot(None),
            model=Return,
        )
        == 0
    )


def test_late_and_lost_parcels_are_present_among_shipped_orders(session: Session) -> None:
    in_flight = Shipment.order.has(Order.status == "enviado")
    late = _count(session, in_flight, Shipment.status == "retrasado", model=Shipment)
    lost = _count(session, in_flight, Shipment.status == "perdido", model=Shipment)
    shipped = _count(session, Order.status == "enviado")
    assert late >= shipped // 6 and lost >= shipped // 20
    assert (
        _count(
            session,
            Shipment.status == "retrasado",
            Shipment.estimated_delivery >= TODAY,
            model=Shipment,
        )
        == 0
    )
    assert (
        _count(
            session,
            Shipment.status.in_(("retrasado", "perdido")),
            Shipment.delivered_at.isnot(None),
            model=Shipment,
        )
        == 0
    )


def test_order_dates_never_contradict_each_other_or_the_status(session: Session) -> None:
    o = Order
    broken = {
        "paid before placed": o.paid_at < o.placed_at,
        "shipped before paid": and_(
            o.shipped_at.isnot(None), or_(o.paid_at.is_(None), o.shipped_at < o.paid_at)
        ),
        "delivered before shipped": and_(
            o.delivered_at.isnot(None), or_(o.shipped_at.is_(None), o.delivered_at < o.shipped_at)
        ),
        "cancelled before placed": o.cancelled_at < o.placed_at,
        "in the future": or_(
            o.placed_at > NOW,
            o.paid_at > NOW,
            o.shipped_at > NOW,
            o.delivered_at > NOW,
            o.cancelled_at > NOW,
        ),
        "pending but paid or old": and_(
            o.status == "pendiente_pago",
            or_(o.paid_at.isnot(None), o.placed_at < NOW - timedelta(hours=72)),
        ),
        "paid or preparing but shipped, unpaid or old": and_(
            o.status.in_(("pagado", "preparando")),
            or_(
                o.paid_at.is_(None), o.shipped_at.isnot(None), o.placed_at < NOW - timedelta(days=5)
            ),
        ),
        "cancelled flag mismatch": (o.status == "cancelado") != o.cancelled_at.isnot(None),
        "cancelled but shipped": and_(o.status == "cancelado", o.shipped_at.isnot(None)),
        "in flight but delivered": and_(
            o.status.in_(("enviado", "en_reparto")),
            or_(o.shipped_at.is_(None), o.delivered_at.isnot(None)),
        ),
        "delivered without date": and_(
            o.status.in_(("entregado", "devuelto")), o.delivered_at.is_(None)
        ),
        "shipment mismatch": o.status.in_(SHIPPED_STATUSES) != o.shipments.any(),
        "shipment before order shipped": o.shipments.any(Shipment.shipped_at < o.shipped_at),
        "shipment delivered after order": o.shipments.any(Shipment.delivered_at > o.delivered_at),
    }
    assert {name: _count(session, cond) for name, cond in broken.items()} == dict.fromkeys(
        broken, 0
    )
    paid_and_unpaid = session.execute(
        select(o.paid_at.isnot(None), func.count())
        .where(o.status == "cancelado")
        .group_by(o.paid_at.isnot(None))
    ).all()
    assert len(paid_and_unpaid) == 2


def test_every_order_ships_to_its_customer_address_and_matching_zone(session: Session) -> None:
    zones = session.scalars(select(ShippingZone).order_by(ShippingZone.id)).all()
    rows = session.execute(
        select(Order.ship_country, Order.ship_postal_code, Order.shipping_zone_id)
    ).all()
    assert all(match_zone(zones, c, pc).id == zone_id for c, pc, zone_id in rows)
    moved = (
        select(func.count())
        .select_from(Order)
        .join(Address, Address.customer_id == Order.customer_id)
        .where(
            or_(
                Address.postal_code != Order.ship_postal_code,
                Address.line1 != Order.ship_line1,
                Address.city != Order.ship_city,
                Address.country != Order.ship_country,
            )
        )
    )
    assert session.scalar(moved) == 0
    used = {z for _, _, z in rows}
    assert {z.id for z in zones} == used


def test_order_totals_add_up_with_items_promotions_and_shipping(session: Session) -> None:
    item_sum = (
        select(func.sum(OrderItem.quantity * OrderItem.unit_price_cents))
        .where(OrderItem.order_id == Order.id)
        .scalar_subquery()
    )
    net = Order.subtotal_cents - Order.discount_cents
    free = and_(ShippingZone.free_from_cents.isnot(None), net >= ShippingZone.free_from_cents)
    wrong = (
        select(func.count())
        .select_from(Order)
        .join(ShippingZone)
        .where(
            or_(
                Order.subtotal_cents != item_sum,
                Order.total_cents != net + Order.shipping_cents,
                and_(free, Order.shipping_cents != 0),
                and_(~free, Order.shipping_cents != ShippingZone.cost_cents),
                (Order.discount_cents > 0) != Order.promotion_code.isnot(None),
                Order.discount_cents > Order.subtotal_cents,
            )
        )
    )
    assert session.scalar(wrong) == 0
    mispriced = (
        select(func.count())
        .select_from(OrderItem)
        .join(Variant)
        .where(OrderItem.unit_price_cents != Variant.price_cents)
    )
    assert session.scalar(mispriced) == 0
    promos = {p.code: p for p in session.scalars(select(Promotion))}
    used = session.execute(
        select(Order.promotion_code, Order.placed_at).where(Order.promotion_code.isnot(None))
    ).all()
    assert used and all(
        promos[code].starts_on <= placed.date() <= promos[code].ends_on for code, placed in used
    )
    active = [p for p in promos.values() if p.starts_on <= TODAY <= p.ends_on]
    assert active and any(p.ends_on < TODAY for p in promos.values())
    assert any(p.starts_on > TODAY for p in promos.values())


def test_tracking_events_run_in_time_order_and_end_in_the_shipment_state(session: Session) -> None:
    events: dict[int, list[TrackingEvent]] = defaultdict(list)
    for event in session.scalars(select(TrackingEvent).order_by(TrackingEvent.id)):
        events[event.shipment_id].append(event)
    shipments = session.scalars(select(Shipment)).all()
    for shipment in shipments:
        steps = events[shipment.id]
        times = [e.occurred_at for e in steps]
        assert 3 <= len(steps) <= 7, shipment.id
        assert times == sorted(times) and len(set(times)) == len(times), shipment.id
        assert times[0] >= shipment.shipped_at and times[-1] <= NOW, shipment.id
        last = steps[-1]
        if shipment.status == "entregado":
            assert last.description.startswith("Entregado") and times[-1] == shipment.delivered_at
        elif shipment.status == "en_reparto":
            assert last.description == "En reparto" and times[-1].date() == TODAY
        elif shipment.status == "perdido":
            assert last.description.startswith("Incidencia") and times[-1] <= NOW - timedelta(5)
        elif shipment.status == "en_transito":
            assert shipment.estimated_delivery >= TODAY
    customs = (
        select(func.count())
        .select_from(Shipment)
        .join(Order)
        .where(
            Order.ship_country != "ES",
            Shipment.status == "entregado",
            ~Shipment.events.any(TrackingEvent.description.like("%aduana%")),
        )
    )
    assert session.scalar(customs) == 0
    assert len(session.scalars(select(Shipment.tracking_number)).all()) == len(shipments)


def test_returns_hold_only_their_order_items_within_the_rules(session: Session) -> None:
    r, ri, oi = Return, ReturnItem, OrderItem
    foreign = (
        select(func.count())
        .select_from(ri)
        .join(r)
        .join(oi)
        .where(or_(oi.order_id != r.order_id, ri.quantity > oi.quantity, ri.quantity < 1))
    )
    assert session.scalar(foreign) == 0
    refund = (
        select(func.sum(ri.quantity * oi.unit_price_cents))
        .join(oi)
        .where(ri.return_id == r.id)
        .scalar_subquery()
    )
    assert _count(session, r.refund_cents != refund, model=Return) == 0
    window = session.get(StorePolicy, 1).return_window_days
    bad_dates = (
        select(func.count())
        .select_from(r)
        .join(Order)
        .where(
            or_(
                ~Order.status.in_(("entregado", "devuelto")),
                r.created_at < Order.delivered_at,
                r.created_at > NOW,
                r.refunded_at < r.created_at,
                r.refunded_at > NOW,
            )
        )
    )
    assert session.scalar(bad_dates) == 0
    opened = session.execute(
        select(r.created_at, Order.delivered_at).join(Order).where(r.condition != "defectuoso")
    ).all()
    assert all(created - delivered <= timedelta(days=window) for created, delivered in opened)
    hygiene = (
        select(func.count())
        .select_from(ri)
        .join(r)
        .join(oi)
        .join(Variant)
        .join(Product)
        .join(Category)
        .where(Category.returnable.is_(False), r.condition != "defectuoso")
    )
    assert session.scalar(hygiene) == 0
    unreturned = _count(
        session,
        Order.status == "devuelto",
        ~select(r.id).where(r.order_id == Order.id, r.status == "completada").exists(),
    )
    assert unreturned == 0
    codes = session.scalars(select(r.rma_code)).all()
    assert all(re.fullmatch(r"RMA-[A-Z0-9]{7}", c) for c in codes)
    assert {c for (c,) in session.execute(select(r.reason).distinct())} <= {
        "talla",
        "no_gusta",
        "danado",
        "incorrecto",
        "incompleto",
        "otro",
    }


def test_tickets_point_at_orders_that_justify_them(session: Session) -> None:
    t = Ticket
    assert {c for (c,) in session.execute(select(t.category).distinct())} == set(TICKET_CATEGORIES)
    assert {c for (c,) in session.execute(select(t.priority).distinct())} == set(TICKET_PRIORITIES)
    assert {c for (c,) in session.execute(select(t.status).distinct())} == set(TICKET_STATUSES)
    numbers = session.scalars(select(t.number)).all()
    assert all(re.fullmatch(r"TK-\d{6}", n) for n in numbers)
    assert _count(session, t.order_id.isnot(None), model=Ticket) >= len(numbers) // 2

    def order_where(*conditions: object) -> object:
        return select(Order.id).where(Order.id == t.order_id, *conditions).exists()

    delivered_first = order_where(Order.delivered_at <= t.created_at)
    unjustified = {
        "retraso": ~order_where(Order.shipments.any(Shipment.status == "retrasado")),
        "perdido": ~order_where(Order.shipments.any(Shipment.status == "perdido")),
        "danado": ~delivered_first,
        "incorrecto": ~delivered_first,
        "incompleto": ~delivered_first,
        "devolucion": ~select(Return.id).where(Return.order_id == t.order_id).exists(),
    }
    for category, condition in unjustified.items():
        assert _count(session, t.category == category, condition, model=Ticket) == 0, category
    assert (
        session.scalar(
            select(func.count())
            .select_from(t)
            .join(Order)
            .where(or_(t.customer_id != Order.customer_id, t.created_at < Order.placed_at))
        )
        == 0
    )
    assert _count(session, or_(t.updated_at < t.created_at, t.updated_at > NOW), model=Ticket) == 0


def test_customers_have_safe_emails_and_real_looking_local_addresses(session: Session) -> None:
    customers = session.scalars(select(Customer)).all()
    emails = [c.email for c in customers]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9._]+@example\.(com|org|net)", e) for e in emails)
    shares = Counter(c.country for c in customers)
    assert 0.6 <= shares["ES"] / len(customers) <= 0.7
    assert set(shares) == {"ES", "MX", "CO", "AR", "CL", "PE"}
    codes = session.execute(select(Address.country, Address.postal_code)).all()
    assert all(normalize_postal_code(pc) == pc for _, pc in codes)
    lengths = {"ES": {5}, "MX": {5}, "CO": {6}, "CL": {7}, "PE": {5}, "AR": {4, 8}}
    assert all(len(pc) in lengths[country] for country, pc in codes)
    spanish = {pc[:2] for country, pc in codes if country == "ES"}
    assert {"07", "35", "38"} <= spanish
    first_order = (
        select(func.min(Order.placed_at)).where(Order.customer_id == Customer.id).scalar_subquery()
    )
    assert _count(session, Customer.created_at > first_order, model=Customer) == 0


def test_catalogue_is_spanish_searchable_and_sized_by_category(session: Session) -> None:
    products = session.execute(select(Product, Category).join(Category)).all()
    assert all(
        p.search_text == fold(f"{p.name} {p.brand} {c.name} {p.description}") for p, c in products
    )
    sizes: dict[str, set[str | None]] = defaultdict(set)
    for slug, size in session.execute(
        select(Category.slug, Variant.size)
        .join(Product, Variant.product_id == Product.id)
        .join(Category)
        .distinct()
    ):
        sizes[slug].add(size)
    assert sizes["zapatillas"] == {str(n) for n in range(36, 47)}
    assert sizes["camisetas"] == {"XS", "S", "M", "L", "XL", "XXL"}
    assert sizes["tarjetas-regalo"] == sizes["cosmetica"] == sizes["bolsos"] == {None}
    not_returnable = session.scalars(select(Category).where(Category.returnable.is_(False))).all()
    assert {c.slug for c in not_returnable} >= {"ropa-interior", "cosmetica", "tarjetas-regalo"}
    assert all(c.return_note for c in not_returnable)
    assert all(re.fullmatch(r"[a-z-]+", c.slug) for c in session.scalars(select(Category)))
    stock = session.scalars(select(Variant.stock)).all()
    assert 0.05 <= sum(s == 0 for s in stock) / len(stock) <= 0.3
    assert any(1 <= s <= 3 for s in stock)
    colours = set(session.scalars(select(Variant.colour).where(Variant.colour.isnot(None))))
    assert all(c == c.lower() for c in colours) and "azul marino" in colours
    assert _count(session, PaymentMethod.active.is_(True), model=PaymentMethod) >= 6
    policy = session.get(StorePolicy, 1)
    assert (policy.return_window_days, policy.defect_guarantee_days) == (30, 1095)


def test_second_seed_changes_nothing(full: tuple[Engine, SeedReport]) -> None:
    engine, first = full
    again = seed_store(engine=engine, today=TODAY + timedelta(days=3), scale=SMALL)
    assert not again.seeded
    assert again.counts == first.counts


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            model.__tablename__: [
                tuple(row)
                for row in conn.execute(
                    select(model.__table__).order_by(*model.__table__.primary_key.columns)
                )
            ]
            for model in MODELS
        }


# Seeds a file in a fresh interpreter with another hash seed: set ordering must not leak in.
CHILD_SEED = """
import sys
from datetime import date
from bot.store.db import create_store_engine
from bot.store.models import Base
from bot.store.seed import SMALL, seed_store
engine = create_store_engine(f"sqlite:///{sys.argv[1]}")
Base.metadata.create_all(engine)
seed_store(engine=engine, today=date.fromisoformat(sys.argv[2]), scale=SMALL)
"""


def test_same_seed_gives_identical_rows_even_in_another_process(tmp_path: Path) -> None:
    here, _ = _seeded_engine(tmp_path / "here.db", SMALL)
    child = tmp_path / "child.db"
    subprocess.run(
        [sys.executable, "-c", CHILD_SEED, str(child), TODAY.isoformat()],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONHASHSEED": "4242"},
        check=True,
        timeout=120,
    )
    there = create_store_engine(f"sqlite:///{child}")
    other = create_store_engine(f"sqlite:///{tmp_path / 'other.db'}")
    Base.metadata.create_all(other)
    seed_store(engine=other, seed=7, today=TODAY, scale=SMALL)
    try:
        assert _dump(here) == _dump(there)
        assert _dump(other)["store_orders"] != _dump(here)["store_orders"]
    finally:
        for engine in (here, there, other):
            engine.dispose()


def test_small_scale_still_covers_every_state(tmp_path: Path) -> None:
    engine, _ = _seeded_engine(tmp_path / "small.db", SMALL)
    with Session(engine, future=True) as session:
        statuses = set(session.scalars(select(Order.status).distinct()))
        returns = set(session.scalars(select(Return.status).distinct()))
        parcels = set(session.scalars(select(Shipment.status).distinct()))
        categories = set(session.scalars(select(Ticket.category).distinct()))
        ticket_states = set(session.scalars(select(Ticket.status).distinct()))
    engine.dispose()
    assert statuses == set(ORDER_STATUSES) and returns == set(RETURN_STATUSES)
    assert {"retrasado", "perdido", "en_reparto", "en_transito", "entregado"} <= parcels
    assert categories == set(TICKET_CATEGORIES) and ticket_states == set(TICKET_STATUSES)
