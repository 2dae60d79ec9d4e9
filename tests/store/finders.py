"""Pick seeded orders by the situation a test needs, with the credentials that verify them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.store import verify_order
from bot.store.models import Category, Customer, Order, OrderItem, Product, Return, Variant
from bot.store.records import VerifiedOrder
from tests.conftest import NOW


@dataclass(frozen=True)
class Credentials:
    number: str
    email: str
    postal_code: str


def find_order(session: Session, *conditions: Any) -> Credentials:
    """The first order (by number) meeting ``conditions``; fails the test if there is none."""
    row = session.execute(
        select(Order.number, Customer.email, Order.ship_postal_code)
        .join(Customer, Order.customer_id == Customer.id)
        .where(*conditions)
        .order_by(Order.number)
        .limit(1)
    ).one_or_none()
    assert row is not None, f"the seed has no order where {conditions}"
    return Credentials(*row)


def verified(session: Session, creds: Credentials) -> VerifiedOrder:
    return verify_order(session=session, number=creds.number, email=creds.email)


def has_category(returnable: bool) -> Any:
    return exists(
        select(OrderItem.id)
        .join(Variant, OrderItem.variant_id == Variant.id)
        .join(Product, Variant.product_id == Product.id)
        .join(Category, Product.category_id == Category.id)
        .where(OrderItem.order_id == Order.id, Category.returnable.is_(returnable))
    )


def no_returns() -> Any:
    return ~exists(select(Return.id).where(Return.order_id == Order.id))


def delivered_days_ago(low: int, high: int) -> tuple[Any, ...]:
    """Delivered between ``high`` and ``low`` days before the tests' NOW."""
    return (
        Order.status == "entregado",
        Order.delivered_at <= NOW - timedelta(days=low),
        Order.delivered_at >= NOW - timedelta(days=high),
    )
