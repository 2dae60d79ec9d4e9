"""The demo orders RU-100001 and on: one per status plus the situations worth showing.

Their dates are relative to ``today``, so "delivered five days ago" stays true whenever
the database is seeded; each belongs to a different customer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store.seed_orders import (
    Draft,
    Line,
    ReturnPlan,
    at,
    delivered,
    hours,
    in_flight,
    paid_backwards,
    pick_lines,
)
from bot.store.seed_people import Shopper, Shoppers
from bot.store.seed_products import Catalogue


@dataclass(frozen=True)
class DemoSpec:
    number: int
    status: str
    payment: str = "tarjeta"
    country: str = "ES"
    ship_status: str | None = None
    carrier: str | None = None
    days_ago: int = 0  # since delivery (entregado, devuelto) or since shipping (in flight)
    extra_pool: str | None = None  # a category to add one item from (a non-returnable one)
    return_status: str | None = None
    return_days_ago: float = 0


DEMO_SPECS = (
    DemoSpec(100001, "pendiente_pago", payment="transferencia"),
    DemoSpec(100002, "pagado"),
    DemoSpec(100003, "preparando", payment="bizum"),
    DemoSpec(100004, "enviado", ship_status="en_transito", carrier="SEUR", days_ago=1),
    DemoSpec(100005, "en_reparto", ship_status="en_reparto", carrier="Correos", days_ago=2),
    DemoSpec(100006, "entregado", carrier="GLS", days_ago=5),
    DemoSpec(100007, "cancelado", payment="paypal"),
    DemoSpec(100008, "devuelto", carrier="MRW", days_ago=25, return_status="completada"),
    # Peninsula promises 4 days: shipped 7 days ago, it was due 3 days ago.
    DemoSpec(100009, "enviado", ship_status="retrasado", carrier="Correos Express", days_ago=7),
    # Mexico promises 10 days: shipped 26 days ago, silent for 9.
    DemoSpec(
        100010,
        "enviado",
        payment="oxxo",
        country="MX",
        ship_status="perdido",
        carrier="Estafeta",
        days_ago=26,
    ),
    DemoSpec(100011, "entregado", carrier="Correos", days_ago=60),
    DemoSpec(100012, "entregado", carrier="SEUR", days_ago=4, extra_pool="ropa-interior"),
    DemoSpec(
        100013,
        "entregado",
        carrier="GLS",
        days_ago=9,
        return_status="en_transito",
        return_days_ago=4,
    ),
    DemoSpec(
        100014,
        "entregado",
        carrier="Correos",
        days_ago=16,
        return_status="recibida",
        return_days_ago=10,
    ),
)


def _owners(shoppers: Shoppers) -> list[Shopper]:
    """A different customer per demo order: mainland Spain, or the country the spec names."""
    owners: list[Shopper] = []
    for spec in DEMO_SPECS:
        owner = next(
            p
            for p in shoppers.people
            if p not in owners
            and p.country.code == spec.country
            and (spec.country != "ES" or p.zone.code == "peninsula")
        )
        owners.append(owner)
    return owners


def _timeline(rng: random.Random, draft: Draft, spec: DemoSpec, now: datetime) -> None:
    today = now.date()
    if spec.status == "pendiente_pago":
        draft.placed_at = now - hours(26)
    elif spec.status == "pagado":
        paid_backwards(rng, draft, now - hours(3))
    elif spec.status == "preparando":
        paid_backwards(rng, draft, now - hours(20))
    elif spec.status == "cancelado":
        paid_backwards(rng, draft, at(rng, today - timedelta(days=4), 11, 20))
        assert draft.paid_at is not None
        draft.cancelled_at = draft.paid_at + hours(2)
    elif spec.ship_status:
        in_flight(rng, draft, now, spec.ship_status, days_ago=spec.days_ago)
        if spec.ship_status == "perdido":
            draft.last_scan_at = at(rng, today - timedelta(days=9), 11, 17)
    else:
        delivered(rng, draft, at(rng, today - timedelta(days=spec.days_ago), 10, 13), late=False)
        assert draft.delivered_at is not None
        if spec.status == "devuelto":
            created = draft.delivered_at + timedelta(days=5)
            draft.return_plan = ReturnPlan("completada", created, now - timedelta(days=8), "talla")
        elif spec.return_status:
            created = now - hours(spec.return_days_ago * 24)
            draft.return_plan = ReturnPlan(spec.return_status, created, None, "talla")


def build_demo(
    rng: random.Random, shoppers: Shoppers, catalogue: Catalogue, now: datetime
) -> list[Draft]:
    drafts = []
    for spec, owner in zip(DEMO_SPECS, _owners(shoppers), strict=True):
        lines = pick_lines(rng, catalogue, "returnable")
        if spec.extra_pool:
            lines.append(Line(catalogue.pick(rng, pool=spec.extra_pool), 1))
        draft = Draft(
            spec.status,
            owner,
            spec.payment,
            lines,
            now,
            carrier=spec.carrier,
            demo=True,
            number=f"RU-{spec.number:06d}",
        )
        _timeline(rng, draft, spec, now)
        drafts.append(draft)
    return drafts
