"""Seeded orders get their numbers, ids, prices and rows, oldest first.

Pricing runs in placing order so "first order" promotions go to each customer's
first order only; totals always equal subtotal - discount + shipping.
"""

from __future__ import annotations

import random

from bot.store.seed_orders import GIFT_CARDS, Draft
from bot.store.seed_products import Promo, Row

WELCOME_CODE = "BIENVENIDA10"
REGULAR_NUMBERS = range(200000, 1000000)  # RU-100001..RU-100099 are kept for demo orders


def _apply_prices(rng: random.Random, draft: Draft, promos: list[Promo], first: bool) -> None:
    """Subtotal, one promotion at most (never on gift cards), shipping free above the threshold."""
    draft.subtotal_cents = sum(line.total for line in draft.lines)
    day = draft.placed_at.date()
    offers: list[tuple[Promo, int]] = []
    for promo in promos:
        if not promo.starts_on <= day <= promo.ends_on or (
            promo.code == WELCOME_CODE and not first
        ):
            continue
        eligible = sum(
            line.total
            for line in draft.lines
            if line.item.category != GIFT_CARDS and promo.category in (None, line.item.category)
        )
        if eligible:
            offers.append((promo, eligible))
    if offers and rng.random() < (0.5 if first else 0.35):
        promo, eligible = offers[rng.randrange(len(offers))]
        draft.promotion_code = promo.code
        draft.discount_cents = (eligible * promo.percent + 50) // 100
    net = draft.subtotal_cents - draft.discount_cents
    zone = draft.shopper.zone
    free = zone.free_from_cents is not None and net >= zone.free_from_cents
    draft.shipping_cents = 0 if free else zone.cost_cents
    draft.total_cents = net + draft.shipping_cents


def finalize(rng: random.Random, drafts: list[Draft], promos: list[Promo]) -> list[Draft]:
    """Number the orders, give ids in placing order, and price them oldest first."""
    unnumbered = [d for d in drafts if not d.number]
    for draft, number in zip(unnumbered, rng.sample(REGULAR_NUMBERS, len(unnumbered)), strict=True):
        draft.number = f"RU-{number:06d}"
    ordered = sorted(drafts, key=lambda d: (d.placed_at, d.number))
    seen: set[int] = set()
    line_id = 0
    for order_id, draft in enumerate(ordered, start=1):
        draft.id = order_id
        for line in draft.lines:
            line_id += 1
            line.id = line_id
        _apply_prices(rng, draft, promos, first=draft.shopper.id not in seen)
        seen.add(draft.shopper.id)
    return ordered


def order_rows(drafts: list[Draft]) -> tuple[list[Row], list[Row]]:
    orders: list[Row] = []
    items: list[Row] = []
    for d in drafts:
        address = d.shopper.address
        orders.append(
            {
                "id": d.id,
                "number": d.number,
                "customer_id": d.shopper.id,
                "status": d.status,
                "placed_at": d.placed_at,
                "paid_at": d.paid_at,
                "shipped_at": d.shipped_at,
                "delivered_at": d.delivered_at,
                "cancelled_at": d.cancelled_at,
                "subtotal_cents": d.subtotal_cents,
                "shipping_cents": d.shipping_cents,
                "discount_cents": d.discount_cents,
                "total_cents": d.total_cents,
                "payment_method": d.payment_method,
                "promotion_code": d.promotion_code,
                "shipping_zone_id": d.shopper.zone.id,
                "ship_name": d.shopper.full_name,
                "ship_line1": address["line1"],
                "ship_city": address["city"],
                "ship_region": address["region"],
                "ship_postal_code": address["postal_code"],
                "ship_country": address["country"],
            }
        )
        items.extend(
            {
                "id": line.id,
                "order_id": d.id,
                "variant_id": line.item.variant_id,
                "product_name": line.item.product_name,
                "quantity": line.quantity,
                "unit_price_cents": line.item.price_cents,
            }
            for line in d.lines
        )
    return orders, items
