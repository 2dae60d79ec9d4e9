"""The demo orders (RU-100001 and on) with what verifies each, for the README and the terminal.

Notes are worked out from the stored data, not copied from the seed, so they stay true
of the database that is actually there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.models import (
    Order,
    OrderItem,
    Product,
    Return,
    Shipment,
    StorePolicy,
    Variant,
)

DEMO_FIRST = "RU-100001"
DEMO_LAST = "RU-100099"
DEFAULT_WINDOW_DAYS = 30
PAYMENT_WORDS = {"transferencia": "la transferencia", "oxxo": "el pago en OXXO"}
RETURN_WORDS = {"en_transito": "en tránsito"}


@dataclass(frozen=True)
class DemoOrder:
    number: str
    status: str
    email: str
    postal_code: str
    carrier: str | None  # None before shipping
    tracking_number: str | None
    note: str  # one short Spanish line, e.g. "entregado hace 5 días: se puede devolver"


def _ago(then: datetime, today: date) -> str:
    days = (today - then.date()).days
    if days <= 0:
        return "hoy"
    if days == 1:
        return "ayer"
    return f"hace {days} días"


def _note(
    order: Order, shipment: Shipment | None, ret: Return | None, today: date, window: int
) -> str:
    """What the order shows off in a demo, in a few Spanish words."""
    status = order.status
    if status == "pendiente_pago":
        waiting = PAYMENT_WORDS.get(order.payment_method, "el pago")
        return f"pedido {_ago(order.placed_at, today)}, esperando {waiting}"
    if status in ("pagado", "preparando") and order.paid_at:
        stage = "aún sin preparar" if status == "pagado" else "en preparación en el almacén"
        return f"pagado {_ago(order.paid_at, today)}, {stage}"
    if status == "cancelado":
        return "cancelado después de pagar" if order.paid_at else "cancelado antes de pagar"
    if shipment is not None and status in ("enviado", "en_reparto"):
        if shipment.status == "retrasado":
            late = (today - shipment.estimated_delivery).days
            return f"retrasado: debía llegar hace {late} días"
        if shipment.status == "perdido":
            last = shipment.events[-1].occurred_at if shipment.events else shipment.shipped_at
            return f"perdido: sin movimientos desde {_ago(last, today)}"
        if shipment.status == "en_reparto":
            return f"en reparto hoy con {shipment.carrier}"
        return f"en camino, llega el {shipment.estimated_delivery:%d/%m}"
    if order.delivered_at is None:
        return status
    delivered = f"entregado {_ago(order.delivered_at, today)}"
    if status == "devuelto":
        return "devuelto: reembolso completado"
    if ret is not None:
        state = RETURN_WORDS.get(ret.status, ret.status)
        return f"{delivered}, devolución {state}: reembolso {ret.refund_status}"
    if (today - order.delivered_at.date()).days > window:
        return f"{delivered}: fuera del plazo de devolución ({window} días)"
    categories = [item.variant.product.category for item in order.items]
    kept = sorted({c.name.lower() for c in categories if not c.returnable})
    if not kept:
        return f"{delivered}: se puede devolver"
    if len(kept) == len({c.name for c in categories}):
        return f"{delivered}: {' y '.join(kept)} no se puede devolver"
    return f"{delivered}: {' y '.join(kept)} no se puede devolver, el resto sí"


def demo_orders(*, session: Session, today: date | None = None) -> list[DemoOrder]:
    """The demo orders in number order; ``today`` (default: the real one) words the notes."""
    today = today or date.today()
    policy = session.get(StorePolicy, 1)
    window = policy.return_window_days if policy else DEFAULT_WINDOW_DAYS
    orders = session.scalars(
        select(Order)
        .where(Order.number.between(DEMO_FIRST, DEMO_LAST))
        .order_by(Order.number)
        .options(
            selectinload(Order.customer),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.items)
            .selectinload(OrderItem.variant)
            .selectinload(Variant.product)
            .selectinload(Product.category),
        )
    ).all()
    returns: dict[int, Return] = {}
    for ret in session.scalars(
        select(Return).where(Return.order_id.in_([o.id for o in orders])).order_by(Return.id)
    ):
        returns.setdefault(ret.order_id, ret)
    listing = []
    for order in orders:
        shipment = order.shipments[0] if order.shipments else None
        listing.append(
            DemoOrder(
                number=order.number,
                status=order.status,
                email=order.customer.email,
                postal_code=order.ship_postal_code,
                carrier=shipment.carrier if shipment else None,
                tracking_number=shipment.tracking_number if shipment else None,
                note=_note(order, shipment, returns.get(order.id), today, window),
            )
        )
    return listing


def demo_as_json(orders: list[DemoOrder]) -> str:
    """A JSON list, one object per order; carrier and tracking are null before shipping."""
    return json.dumps([asdict(o) for o in orders], ensure_ascii=False, indent=2)


def demo_as_table(orders: list[DemoOrder]) -> str:
    """A plain-text table with a header and a rule, columns padded to fit."""
    header = ("Pedido", "Estado", "Email", "CP", "Transportista", "Seguimiento", "Nota")
    rows = [
        (
            o.number,
            o.status,
            o.email,
            o.postal_code,
            o.carrier or "-",
            o.tracking_number or "-",
            o.note,
        )
        for o in orders
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
