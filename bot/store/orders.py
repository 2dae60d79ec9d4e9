"""Finding an order its owner can prove is theirs, and what can be told or done with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.errors import ActionNotAllowed, InvalidInput, OrderNotVerified
from bot.store.models import (
    Category,
    Customer,
    Order,
    OrderItem,
    PaymentMethod,
    Product,
    Shipment,
    StorePolicy,
    Variant,
)
from bot.store.normalize import normalize_email, normalize_order_number, normalize_postal_code
from bot.store.records import (
    CancellationCheck,
    CancellationDone,
    OrderLine,
    ShipmentTrack,
    Timeline,
    TrackingStep,
    VerifiedOrder,
    euros,
)

CANCELLABLE = ("pendiente_pago", "pagado", "preparando")
_NOT_CANCELLABLE_REASON = {
    "enviado": "ya_enviado",
    "en_reparto": "ya_enviado",
    "entregado": "ya_entregado",
    "cancelado": "ya_cancelado",
    "devuelto": "ya_devuelto",
}


def verify_order(
    *,
    session: Session,
    number: str,
    email: str | None = None,
    postal_code: str | None = None,
) -> VerifiedOrder:
    """The order ``number`` if ``email`` or ``postal_code`` is the one on it.

    Unknown and mismatched orders raise the same ``OrderNotVerified``, so a
    guesser learns nothing; malformed input raises ``InvalidInput`` before any query.
    """
    canonical = normalize_order_number(number)
    if not email and not postal_code:
        raise InvalidInput("credential", "")
    stmt = (
        select(Order, Customer)
        .join(Customer, Order.customer_id == Customer.id)
        .where(Order.number == canonical)
    )
    if email:
        stmt = stmt.where(Customer.email == normalize_email(email))
    else:
        stmt = stmt.where(Order.ship_postal_code == normalize_postal_code(postal_code or ""))
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise OrderNotVerified(canonical)
    order, customer = row
    return _verified(session, order, customer)


def _verified(session: Session, order: Order, customer: Customer) -> VerifiedOrder:
    lines = session.execute(
        select(
            OrderItem.id,
            OrderItem.product_name,
            Category.name,
            Variant.size,
            Variant.colour,
            OrderItem.quantity,
            OrderItem.unit_price_cents,
        )
        .join(Variant, OrderItem.variant_id == Variant.id)
        .join(Product, Variant.product_id == Product.id)
        .join(Category, Product.category_id == Category.id)
        .where(OrderItem.order_id == order.id)
        .order_by(OrderItem.id)
    ).all()
    method = session.get(PaymentMethod, order.payment_method)
    return VerifiedOrder(
        order_id=order.id,
        customer_id=customer.id,
        number=order.number,
        status=order.status,
        first_name=customer.first_name,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        cancelled_at=order.cancelled_at,
        total=euros(order.total_cents),
        shipping_cost=euros(order.shipping_cents),
        payment_method=method.name if method else order.payment_method,
        ship_city=order.ship_city,
        ship_address=masked_address(order.ship_line1, order.ship_postal_code, order.ship_city),
        ship_country=order.ship_country,
        lines=tuple(
            OrderLine(item_id, name, category, size, colour, quantity, euros(price))
            for item_id, name, category, size, colour, quantity, price in lines
        ),
    )


_STREET_WORDS = frozenset(
    {
        "calle", "c", "c/", "avenida", "av", "av.", "avda", "avda.", "plaza", "pza", "paseo",
        "camino", "carrera", "carretera", "ronda", "travesia", "travesía", "pasaje", "jirón",
        "jiron", "diagonal", "transversal", "boulevard", "bulevar", "de", "del", "la", "las",
        "el", "los",
    }
)  # fmt: skip


def masked_address(line1: str, postal_code: str, city: str) -> str:
    """Enough of the address for its owner to recognise it, not enough to learn it.

    The street type is kept with the name's first two letters; numbers, floors and the
    postal code's last digits are hidden.
    """
    words = line1.replace(",", " ").split()
    kept = []
    for word in words:
        if word.lower() in _STREET_WORDS:
            kept.append(word)
            continue
        kept.append(f"{word[:2]}***")
        break
    return f"{' '.join(kept)}, {postal_code[:2]}*** {city}"


def owned_order(session: Session, order: VerifiedOrder, *, for_update: bool = False) -> Order:
    """Re-read the order, scoped to its verified owner, so a stale or forged value finds nothing."""
    stmt = select(Order).where(Order.id == order.order_id, Order.customer_id == order.customer_id)
    if for_update:
        stmt = stmt.with_for_update()
    found = session.scalars(stmt).one_or_none()
    if found is None:
        raise OrderNotVerified(order.number)
    return found


def shipment_is_late(shipment: Shipment, today: date) -> bool:
    """Delayed or lost by the carrier, or past its estimated delivery and not delivered."""
    return shipment.status in ("retrasado", "perdido") or (
        shipment.delivered_at is None and shipment.estimated_delivery < today
    )


def tracking_timeline(
    *, session: Session, order: VerifiedOrder, today: date | None = None
) -> Timeline:
    """The order's shipments with every tracking event, oldest first, and whether each is late."""
    today = today or date.today()
    current = owned_order(session, order)
    shipments = session.scalars(
        select(Shipment)
        .options(selectinload(Shipment.events))
        .where(Shipment.order_id == current.id)
        .order_by(Shipment.id)
    ).all()
    return Timeline(
        number=current.number,
        status=current.status,
        shipments=tuple(
            ShipmentTrack(
                carrier=s.carrier,
                tracking_number=s.tracking_number,
                status=s.status,
                shipped_at=s.shipped_at,
                estimated_delivery=s.estimated_delivery,
                delivered_at=s.delivered_at,
                is_late=shipment_is_late(s, today),
                steps=tuple(
                    TrackingStep(e.occurred_at, e.location, e.description) for e in s.events
                ),
            )
            for s in shipments
        ),
    )


def check_cancellation(*, session: Session, order: VerifiedOrder) -> CancellationCheck:
    """Orders can be cancelled until they leave the warehouse; after that, a return is offered."""
    current = owned_order(session, order)
    if current.status in CANCELLABLE:
        refund = euros(current.total_cents) if current.paid_at else euros(0)
        return CancellationCheck(allowed=True, reason=None, refund=refund, return_instead=False)
    reason = _NOT_CANCELLABLE_REASON.get(current.status, "no_cancelable")
    return CancellationCheck(
        allowed=False,
        reason=reason,
        refund=euros(0),
        return_instead=reason in ("ya_enviado", "ya_entregado"),
    )


def cancel_order(
    *, session: Session, order: VerifiedOrder, now: datetime | None = None
) -> CancellationDone:
    """Cancel the order, put its units back in stock and say what will be refunded by when."""
    now = now or datetime.utcnow()
    current = owned_order(session, order, for_update=True)
    if current.status not in CANCELLABLE:
        raise ActionNotAllowed(_NOT_CANCELLABLE_REASON.get(current.status, "no_cancelable"))
    for item in session.scalars(select(OrderItem).where(OrderItem.order_id == current.id)):
        variant = session.get(Variant, item.variant_id)
        if variant is not None:
            variant.stock += item.quantity
    was_paid = current.paid_at is not None
    current.status = "cancelado"
    current.cancelled_at = now
    policy = session.get(StorePolicy, 1)
    refund_days = policy.refund_days if policy else 14
    method = session.get(PaymentMethod, current.payment_method)
    return CancellationDone(
        number=current.number,
        refund=euros(current.total_cents) if was_paid else euros(0),
        payment_method=method.name if method else current.payment_method,
        refund_by=(now + timedelta(days=refund_days)).date() if was_paid else None,
    )
