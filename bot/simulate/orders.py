"""The shoppers' own orders, read from the store so a simulated shopper can prove one is theirs.

Read only: a plain session that never commits. The bot changes orders as shoppers cancel
and return them; the simulator picks again from what the store holds when it starts.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.db import create_store_engine
from bot.store.models import Order

MAX_ORDERS = 2000  # the most recent ones: plenty of variety, bounded memory on a big store


@dataclass(frozen=True)
class ShopperOrder:
    """What a shopper knows about their order: the number, their email and postal code,
    what was in it (as the confirmation email names it), and its status."""

    number: str
    status: str
    email: str
    postal_code: str
    products: tuple[str, ...]
    shipment_status: str | None = None


class OrderBook:
    """Orders grouped by status, for picking one that fits what a shopper comes for."""

    def __init__(self, orders: list[ShopperOrder]) -> None:
        self.orders = orders
        self.by_status: dict[str, list[ShopperOrder]] = defaultdict(list)
        for order in orders:
            self.by_status[order.status].append(order)

    def pick(self, statuses: tuple[str, ...], rng: random.Random) -> ShopperOrder | None:
        """A random order in one of ``statuses`` (the first status that has any is likelier)."""
        candidates = [o for s in statuses for o in self.by_status.get(s, [])]
        if not candidates:
            return None
        preferred = self.by_status.get(statuses[0], []) if statuses else []
        if preferred and rng.random() < 0.5:
            return rng.choice(preferred)
        return rng.choice(candidates)


def load_orders(database_url: str, limit: int = MAX_ORDERS) -> OrderBook:
    """The store's most recent orders with their customers' details."""
    engine = create_store_engine(database_url)
    try:
        with Session(engine, future=True) as session:
            rows = session.scalars(
                select(Order)
                .order_by(Order.placed_at.desc())
                .limit(limit)
                .options(
                    selectinload(Order.customer),
                    selectinload(Order.items),
                    selectinload(Order.shipments),
                )
            ).all()
            orders = [
                ShopperOrder(
                    number=o.number,
                    status=o.status,
                    email=o.customer.email,
                    postal_code=o.ship_postal_code,
                    products=tuple(item.product_name for item in o.items),
                    shipment_status=o.shipments[0].status if o.shipments else None,
                )
                for o in rows
            ]
    finally:
        engine.dispose()
    return OrderBook(orders)
