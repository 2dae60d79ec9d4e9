"""Seeded orders: a believable history for each status, with dates that never contradict.

Every timeline is built backwards from an anchor before "now" (a delivery, a refund, a
last scan), so placed <= paid <= shipped <= delivered <= now holds by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.store.seed_people import Shopper, Shoppers
from bot.store.seed_products import Catalogue, Sellable

# Share of orders per status, in percent; "entregado" also takes any rounding remainder.
STATUS_SHARES = (
    ("entregado", 58),
    ("enviado", 11),
    ("cancelado", 8),
    ("devuelto", 7),
    ("preparando", 5),
    ("pagado", 4),
    ("pendiente_pago", 4),
    ("en_reparto", 3),
)
# How shipped-but-not-delivered parcels are doing: many late, some lost.
IN_FLIGHT_SHARES = (("en_transito", 65), ("retrasado", 25), ("perdido", 10))
# Payment methods the shopper completes later, with the delay range in hours.
DELAYED_METHODS = {"transferencia": (2.0, 48.0), "oxxo": (1.0, 36.0)}
GIFT_CARDS = "tarjetas-regalo"


def hours(value: float) -> timedelta:
    return timedelta(seconds=round(value * 3600))


def at(rng: random.Random, day: date, low: float, high: float) -> datetime:
    """A whole-second moment on ``day`` between the hours ``low`` and ``high``."""
    return datetime.combine(day, time()) + timedelta(
        seconds=rng.randint(int(low * 3600), int(high * 3600))
    )


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@dataclass
class Line:
    item: Sellable
    quantity: int
    id: int = 0

    @property
    def total(self) -> int:
        return self.item.price_cents * self.quantity


@dataclass
class ReturnPlan:
    """A return fixed by the order's story (devuelto, demo orders); others are drawn later."""

    status: str
    created_at: datetime
    refunded_at: datetime | None = None
    reason: str | None = None


@dataclass
class Draft:
    """An order being built; becomes an order row, its items, shipments and maybe a return."""

    status: str
    shopper: Shopper
    payment_method: str
    lines: list[Line]
    placed_at: datetime
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    ship_status: str | None = None
    estimated_delivery: date | None = None
    last_scan_at: datetime | None = None  # latest tracking event of an undelivered parcel
    carrier: str | None = None
    split: bool = False  # sent in two parcels
    demo: bool = False
    return_plan: ReturnPlan | None = None
    number: str = ""
    id: int = 0
    promotion_code: str | None = None
    subtotal_cents: int = 0
    discount_cents: int = 0
    shipping_cents: int = 0
    total_cents: int = 0


def pay_delay(rng: random.Random, method: str) -> timedelta:
    low, high = DELAYED_METHODS.get(method, (0.005, 0.1))
    return hours(rng.uniform(low, high))


def paid_backwards(rng: random.Random, draft: Draft, paid_at: datetime) -> None:
    draft.paid_at = paid_at
    draft.placed_at = paid_at - pay_delay(rng, draft.payment_method)


def shipped_backwards(rng: random.Random, draft: Draft, shipped_at: datetime) -> None:
    """The warehouse ships 3 to 40 hours after payment; the carrier promises ``days_max``."""
    draft.shipped_at = shipped_at
    draft.estimated_delivery = shipped_at.date() + timedelta(days=draft.shopper.zone.days_max)
    paid_backwards(rng, draft, shipped_at - hours(rng.uniform(3, 40)))


def delivered(rng: random.Random, draft: Draft, delivered_at: datetime, *, late: bool) -> None:
    zone = draft.shopper.zone
    transit = (
        zone.days_max + rng.randint(1, 4) if late else rng.randint(zone.days_min, zone.days_max)
    )
    draft.ship_status = "entregado"
    draft.delivered_at = delivered_at
    shipped_day = delivered_at.date() - timedelta(days=transit)
    shipped_backwards(rng, draft, at(rng, shipped_day, 14, 20))


def in_flight(
    rng: random.Random, draft: Draft, now: datetime, ship_status: str, days_ago: int = 0
) -> None:
    """A parcel still on its way; a late one is past its estimate, a lost one silent for days."""
    zone = draft.shopper.zone
    today = now.date()
    if ship_status == "en_transito":
        ago = days_ago or rng.randint(1, max(1, zone.days_max - 1))
    elif ship_status == "en_reparto":
        ago = days_ago or rng.randint(max(1, zone.days_min - 1), zone.days_max)
    elif ship_status == "retrasado":
        ago = days_ago or zone.days_max + rng.randint(1, 6)
    else:
        ago = days_ago or zone.days_max + rng.randint(12, 25)
    draft.ship_status = ship_status
    shipped_backwards(rng, draft, at(rng, today - timedelta(days=ago), 14, 20))
    assert draft.shipped_at is not None
    if ship_status == "en_transito":
        span = now - timedelta(minutes=15) - draft.shipped_at
        draft.last_scan_at = draft.shipped_at + span * rng.uniform(0.4, 1.0)
    elif ship_status == "en_reparto":
        draft.last_scan_at = min(at(rng, today, 7, 9.5), now - timedelta(minutes=5))
    elif ship_status == "retrasado":
        draft.last_scan_at = now - hours(rng.uniform(4, 60))
    else:
        draft.last_scan_at = now - hours(rng.uniform(5 * 24, 12 * 24))
    draft.last_scan_at = draft.last_scan_at.replace(microsecond=0)


def _cancelled(rng: random.Random, draft: Draft, now: datetime) -> None:
    """Some were paid and cancelled before shipping; unpaid transfers lapse after 72 hours."""
    draft.placed_at = now - timedelta(days=0.3 + 390 * rng.random() ** 1.3)
    draft.placed_at = draft.placed_at.replace(microsecond=0)
    if rng.random() < 0.55:
        draft.paid_at = draft.placed_at + pay_delay(rng, draft.payment_method)
        draft.cancelled_at = draft.paid_at + hours(rng.uniform(0.2, 30))
    elif draft.payment_method in draft.shopper.country.pending_payments:
        draft.cancelled_at = draft.placed_at + hours(rng.uniform(72, 72.5))
    else:
        draft.cancelled_at = draft.placed_at + hours(rng.uniform(0.1, 20))
    if draft.cancelled_at > now - timedelta(minutes=1):
        shift = draft.cancelled_at - now + hours(rng.uniform(1, 6))
        draft.placed_at -= shift
        draft.cancelled_at -= shift
        draft.paid_at = draft.paid_at - shift if draft.paid_at else None


def _returned(rng: random.Random, draft: Draft, now: datetime) -> None:
    """Delivered, sent back within the window and refunded before now."""
    refunded_day = now.date() - timedelta(days=1 + int(300 * rng.random() ** 1.2))
    refunded_at = at(rng, refunded_day, 9, 18)
    created_at = refunded_at - hours(rng.uniform(4 * 24, 14 * 24))
    delivered_day = (created_at - hours(rng.uniform(24, 27 * 24))).date()
    delivered(rng, draft, at(rng, delivered_day, 9.5, 20.5), late=rng.random() < 0.09)
    draft.return_plan = ReturnPlan("completada", created_at, refunded_at)


def timeline(rng: random.Random, draft: Draft, now: datetime) -> None:
    """Fill in the dates and shipment state the draft's status calls for."""
    status = draft.status
    if status == "pendiente_pago":
        draft.placed_at = (now - hours(rng.uniform(0.25, 70))).replace(microsecond=0)
    elif status == "pagado":
        paid_backwards(rng, draft, now - hours(rng.uniform(0.2, 20)))
    elif status == "preparando":
        paid_backwards(rng, draft, now - hours(rng.uniform(3, 44)))
    elif status == "cancelado":
        _cancelled(rng, draft, now)
    elif status == "enviado":
        in_flight(rng, draft, now, weighted(rng, IN_FLIGHT_SHARES))
    elif status == "en_reparto":
        in_flight(rng, draft, now, "en_reparto")
    elif status == "entregado":
        day = now.date() - timedelta(days=1 + int(390 * rng.random() ** 1.35))
        delivered(rng, draft, at(rng, day, 9.5, 20.5), late=rng.random() < 0.09)
    elif status == "devuelto":
        _returned(rng, draft, now)
    else:
        raise ValueError(f"unknown order status {status!r}")


def pick_lines(rng: random.Random, catalogue: Catalogue, pool: str = "all") -> list[Line]:
    """One to four different variants, now and then two or three of the same."""
    wanted = rng.choices((1, 2, 3, 4), weights=(50, 28, 14, 8))[0]
    lines: list[Line] = []
    seen: set[int] = set()
    for _ in range(wanted * 3):
        item = catalogue.pick(rng, pool=pool)
        if item.variant_id in seen:
            continue
        seen.add(item.variant_id)
        quantity = 1 if item.category == GIFT_CARDS else rng.choices((1, 2, 3), (88, 10, 2))[0]
        lines.append(Line(item, quantity))
        if len(lines) == wanted:
            break
    return lines


def payment_for(rng: random.Random, shopper: Shopper, status: str) -> str:
    if status == "pendiente_pago":
        return rng.choice(shopper.country.pending_payments)
    return weighted(rng, shopper.country.payments)


def plan_statuses(rng: random.Random, count: int) -> list[str]:
    """Exactly the shares of STATUS_SHARES (at least one of each), shuffled."""
    counts = {status: max(1, count * share // 100) for status, share in STATUS_SHARES}
    counts["entregado"] += count - sum(counts.values())
    statuses = [status for status, n in counts.items() for _ in range(n)]
    rng.shuffle(statuses)
    return statuses


def build_regular(
    rng: random.Random, count: int, shoppers: Shoppers, catalogue: Catalogue, now: datetime
) -> list[Draft]:
    drafts = []
    for status in plan_statuses(rng, count):
        shopper = shoppers.pick(rng)
        pool = "returnable" if status == "devuelto" else "all"
        draft = Draft(
            status,
            shopper,
            payment_for(rng, shopper, status),
            pick_lines(rng, catalogue, pool),
            now,
        )
        timeline(rng, draft, now)
        draft.split = status == "entregado" and len(draft.lines) > 1 and rng.random() < 0.04
        drafts.append(draft)
    return drafts
