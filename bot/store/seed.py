"""Fill an empty store with a deterministic, realistic Spanish shop: ``seed_store``.

The same ``seed``, ``today`` and ``scale`` always give the same rows, so tests, the demo
and the benchmark talk about the same orders. Everything is computed in memory first and
written in one transaction: a crash leaves the store empty, never half-seeded.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store.db import store_session
from bot.store.models import (
    Address,
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
    metadata,
)
from bot.store.seed_demo import build_demo
from bot.store.seed_orders import build_regular
from bot.store.seed_people import build_shoppers, settle_signup_dates
from bot.store.seed_pricing import finalize, order_rows
from bot.store.seed_products import Row, build_catalogue
from bot.store.seed_returns import build_returns
from bot.store.seed_shipping import build_shipments
from bot.store.seed_tickets import build_tickets

log = logging.getLogger(__name__)

# Insert order follows the foreign keys; the policy row goes first so a concurrent seeder
# collides on its primary key at once instead of after computing everything.
MODELS = (
    StorePolicy,
    Category,
    Product,
    Variant,
    ShippingZone,
    PaymentMethod,
    Promotion,
    Customer,
    Address,
    Order,
    OrderItem,
    Shipment,
    TrackingEvent,
    Return,
    ReturnItem,
    Ticket,
)
BATCH = 5000
DATA_HOUR = 10  # the seeded data's "now" is ``today`` at 10:00


@dataclass(frozen=True)
class SeedScale:
    products: int = 320
    customers: int = 2000
    orders: int = 10000


FULL = SeedScale()
SMALL = SeedScale(products=60, customers=200, orders=800)


@dataclass(frozen=True)
class SeedReport:
    seeded: bool  # False when the database was already seeded (nothing done)
    counts: dict[str, int]  # rows per table name
    seconds: float


def _stage_rng(seed: int, stage: str) -> random.Random:
    """One generator per stage, so changing how tickets are drawn leaves the orders alone."""
    return random.Random(f"{seed}:{stage}")


def build_rows(*, seed: int, today: date, scale: SeedScale) -> dict[str, list[Row]]:
    """Every row of the seeded store, by table name; a pure function of its arguments."""
    now = datetime.combine(today, datetime.min.time()) + timedelta(hours=DATA_HOUR)
    catalogue = build_catalogue(_stage_rng(seed, "catalogue"), scale.products, today)
    shoppers = build_shoppers(
        _stage_rng(seed, "customers"), seed, scale.customers, catalogue.zones, now
    )
    order_rng = _stage_rng(seed, "orders")
    demo = build_demo(order_rng, shoppers, catalogue, now)
    regular = build_regular(order_rng, scale.orders - len(demo), shoppers, catalogue, now)
    drafts = finalize(order_rng, demo + regular, catalogue.promotions)
    first_orders: dict[int, datetime] = {}
    for draft in drafts:
        first_orders.setdefault(draft.shopper.id, draft.placed_at)
    settle_signup_dates(shoppers, first_orders, _stage_rng(seed, "signup"))
    orders, items = order_rows(drafts)
    shipments, events = build_shipments(_stage_rng(seed, "shipping"), drafts)
    returns, return_items, facts = build_returns(_stage_rng(seed, "returns"), drafts, now)
    tickets = build_tickets(
        _stage_rng(seed, "tickets"),
        max(60, scale.orders * 3 // 100),
        drafts,
        shoppers,
        facts,
        now,
    )
    return {
        **catalogue.rows,
        Customer.__tablename__: [p.customer_row() for p in shoppers.people],
        Address.__tablename__: [p.address for p in shoppers.people],
        Order.__tablename__: orders,
        OrderItem.__tablename__: items,
        Shipment.__tablename__: shipments,
        TrackingEvent.__tablename__: events,
        Return.__tablename__: returns,
        ReturnItem.__tablename__: return_items,
        Ticket.__tablename__: tickets,
    }


def table_counts(session: Session) -> dict[str, int]:
    """Rows per store table, as the database has them now."""
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in MODELS
    }


def _advance_sequences(session: Session) -> None:
    """PostgreSQL's serial counters do not see explicit ids; move them past the seeded rows."""
    for table in metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not isinstance(column.type, Integer):
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT MAX(id) FROM {table.name}))"
            )
        )


def seed_store(
    *, engine: Engine, seed: int = 20261123, today: date | None = None, scale: SeedScale = FULL
) -> SeedReport:
    """Seed an empty store in one transaction; a store that has its policy row is left alone."""
    started = time.perf_counter()
    with store_session(engine) as session:
        if session.get(StorePolicy, 1) is not None:
            log.info("store already seeded; nothing to do")
            return SeedReport(False, table_counts(session), time.perf_counter() - started)
        rows = build_rows(seed=seed, today=today or date.today(), scale=scale)
        for model in MODELS:
            batch = rows[model.__tablename__]
            for start in range(0, len(batch), BATCH):
                session.execute(insert(model), batch[start : start + BATCH])
        if engine.dialect.name == "postgresql":
            _advance_sequences(session)
    counts = {model.__tablename__: len(rows[model.__tablename__]) for model in MODELS}
    seconds = time.perf_counter() - started
    log.info("seeded the store in %.1f s: %s", seconds, counts)
    return SeedReport(True, counts, seconds)


def create_seeded_store(url: str, *, seed: int = 11, today: date | None = None) -> str:
    """Migrate and seed a small store at ``url`` (tests, benchmarks); return the URL."""
    from bot.store.db import create_store_engine
    from bot.store.migrate import upgrade_to_head

    upgrade_to_head(url)
    engine = create_store_engine(url)
    try:
        seed_store(engine=engine, seed=seed, today=today, scale=SMALL)
    finally:
        engine.dispose()
    return url
