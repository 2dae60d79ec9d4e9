"""Frozen values the store hands to its callers; no ORM object leaves ``bot.store``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


def euros(cents: int) -> Decimal:
    """Integer cents as a two-place ``Decimal`` of euros."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class OrderLine:
    item_id: int
    product_name: str
    category: str
    size: str | None
    colour: str | None
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class VerifiedOrder:
    """An order whose owner has proved it is theirs; the key to every other order query."""

    order_id: int
    customer_id: int
    number: str
    status: str
    first_name: str
    placed_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    total: Decimal
    shipping_cost: Decimal
    payment_method: str
    ship_city: str
    ship_address: str  # masked: "Calle de Al***, 28*** Madrid"
    ship_country: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class TrackingStep:
    occurred_at: datetime
    location: str
    description: str


@dataclass(frozen=True)
class ShipmentTrack:
    carrier: str
    tracking_number: str
    status: str
    shipped_at: datetime
    estimated_delivery: date
    delivered_at: datetime | None
    is_late: bool
    steps: tuple[TrackingStep, ...]

    @property
    def last_step(self) -> TrackingStep | None:
        return self.steps[-1] if self.steps else None


@dataclass(frozen=True)
class Timeline:
    number: str
    status: str
    shipments: tuple[ShipmentTrack, ...]


@dataclass(frozen=True)
class CancellationCheck:
    """Whether the order can still be cancelled; ``reason`` is a code when it cannot."""

    allowed: bool
    reason: str | None
    refund: Decimal
    return_instead: bool


@dataclass(frozen=True)
class CancellationDone:
    number: str
    refund: Decimal
    payment_method: str
    refund_by: date | None


@dataclass(frozen=True)
class ItemEligibility:
    item_id: int
    product_name: str
    returnable_quantity: int
    eligible: bool
    reason: str | None  # code when refused: fuera_de_plazo, categoria_no_retornable, ...
    detail: str | None  # what the shopper is told: the category's note, the deadline, ...


@dataclass(frozen=True)
class ReturnEligibility:
    number: str
    eligible: bool
    reason: str | None  # order-level refusal: no_entregado, cancelado, devuelto
    deadline: date | None
    items: tuple[ItemEligibility, ...]

    @property
    def eligible_items(self) -> tuple[ItemEligibility, ...]:
        return tuple(item for item in self.items if item.eligible)


@dataclass(frozen=True)
class ReturnLine:
    item_id: int
    quantity: int


@dataclass(frozen=True)
class ReturnCreated:
    rma_code: str
    number: str
    refund: Decimal
    send_by: date
    items: tuple[str, ...]


@dataclass(frozen=True)
class RefundInfo:
    """One refund the order has: from a return (with its RMA code) or from a cancellation."""

    source: str  # devolucion | cancelacion
    rma_code: str | None
    return_status: str | None
    status: str
    amount: Decimal
    refunded_at: datetime | None
    expected_by: date | None
    rejection_reason: str | None


@dataclass(frozen=True)
class TicketCreated:
    number: str
    category: str
    priority: str
    next_step: str


@dataclass(frozen=True)
class ProductMatch:
    product_id: int
    sku: str
    name: str
    brand: str
    category: str
    description: str
    price_from: Decimal
    sizes_in_stock: tuple[str, ...]
    colours_in_stock: tuple[str, ...]
    in_stock: bool  # for the size and colour asked, when asked


@dataclass(frozen=True)
class ShippingZoneInfo:
    code: str
    name: str
    cost: Decimal
    free_from: Decimal | None
    days_min: int
    days_max: int


@dataclass(frozen=True)
class PaymentMethodInfo:
    code: str
    name: str
    description: str
    max_installments: int


@dataclass(frozen=True)
class PromotionInfo:
    code: str
    title: str
    description: str
    discount_percent: int
    category: str | None
    ends_on: date


@dataclass(frozen=True)
class Policies:
    store_name: str
    return_window_days: int
    defect_guarantee_days: int
    refund_days: int
    support_email: str
    support_hours: str
    non_returnable: tuple[tuple[str, str], ...]  # (category name, why)
    zones: tuple[ShippingZoneInfo, ...]
    payment_methods: tuple[PaymentMethodInfo, ...]
    promotions: tuple[PromotionInfo, ...]
