"""An order's state at a moment, for the journey log (never shown to a shopper).

The journey recorder calls this only for an order the conversation already verified, so
it reads by number without asking for the email again; it returns status facts only, no
personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.errors import InvalidInput
from bot.store.models import Order, Shipment
from bot.store.normalize import normalize_order_number
from bot.store.orders import shipment_is_late


@dataclass(frozen=True)
class OrderStatusSnapshot:
    status: str
    shipment_status: str | None
    is_late: bool
    estimated_delivery: date | None


def order_status_snapshot(
    *, session: Session, number: str, today: date | None = None
) -> OrderStatusSnapshot | None:
    """The order's status and its latest shipment's: late when overdue, delayed or lost."""
    try:
        normalized = normalize_order_number(number)
    except InvalidInput:
        return None
    order = session.scalars(select(Order).where(Order.number == normalized)).one_or_none()
    if order is None:
        return None
    shipment = session.scalars(
        select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.id.desc()).limit(1)
    ).first()
    if shipment is None:
        return OrderStatusSnapshot(order.status, None, False, None)
    late = shipment_is_late(shipment, today or date.today())
    return OrderStatusSnapshot(order.status, shipment.status, late, shipment.estimated_delivery)
