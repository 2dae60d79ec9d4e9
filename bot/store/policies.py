"""The store's rules as data: return window, shipping zones, payment methods, promotions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.errors import InvalidInput, StoreError
from bot.store.models import Category, PaymentMethod, Promotion, ShippingZone, StorePolicy
from bot.store.normalize import normalize_postal_code
from bot.store.records import (
    PaymentMethodInfo,
    Policies,
    PromotionInfo,
    ShippingZoneInfo,
    euros,
)


def match_zone(zones: Sequence[ShippingZone], country: str, postal_code: str) -> ShippingZone:
    """The zone that ships to ``country``/``postal_code``; a postal-prefix zone beats a country one.

    Spain's islands, Ceuta and Melilla share the country code ES with the mainland
    but not its prices, so they are told apart by their postal prefixes.
    """
    country = country.upper()
    candidates = [z for z in zones if country in z.countries.split(",")]
    for zone in candidates:
        prefixes = (zone.postal_prefixes or "").split(",")
        if any(p and postal_code.startswith(p) for p in prefixes):
            return zone
    for zone in candidates:
        if not zone.postal_prefixes:
            return zone
    raise InvalidInput("country", country)


def _zone_info(zone: ShippingZone) -> ShippingZoneInfo:
    return ShippingZoneInfo(
        code=zone.code,
        name=zone.name,
        cost=euros(zone.cost_cents),
        free_from=euros(zone.free_from_cents) if zone.free_from_cents is not None else None,
        days_min=zone.days_min,
        days_max=zone.days_max,
    )


def get_policies(*, session: Session, today: date | None = None) -> Policies:
    """Everything a shopper may ask about the store's rules, with only today's promotions."""
    today = today or date.today()
    policy = session.get(StorePolicy, 1)
    if policy is None:
        raise StoreError("the store has no policy row; run `python -m bot.store seed`")
    non_returnable = session.execute(
        select(Category.name, Category.return_note)
        .where(Category.returnable.is_(False))
        .order_by(Category.name)
    ).all()
    zones = session.scalars(select(ShippingZone).order_by(ShippingZone.id)).all()
    methods = session.scalars(
        select(PaymentMethod).where(PaymentMethod.active.is_(True)).order_by(PaymentMethod.name)
    ).all()
    promotions = session.execute(
        select(Promotion, Category.name)
        .outerjoin(Category, Promotion.category_id == Category.id)
        .where(Promotion.starts_on <= today, Promotion.ends_on >= today)
        .order_by(Promotion.ends_on, Promotion.code)
    ).all()
    return Policies(
        store_name=policy.store_name,
        return_window_days=policy.return_window_days,
        defect_guarantee_days=policy.defect_guarantee_days,
        refund_days=policy.refund_days,
        support_email=policy.support_email,
        support_hours=policy.support_hours,
        non_returnable=tuple((name, note or "") for name, note in non_returnable),
        zones=tuple(_zone_info(z) for z in zones),
        payment_methods=tuple(
            PaymentMethodInfo(m.code, m.name, m.description, m.max_installments) for m in methods
        ),
        promotions=tuple(
            PromotionInfo(p.code, p.title, p.description, p.discount_percent, cat, p.ends_on)
            for p, cat in promotions
        ),
    )


def shipping_quote(*, session: Session, country: str, postal_code: str) -> ShippingZoneInfo:
    """Cost, free-shipping threshold and delivery days for an address."""
    code = normalize_postal_code(postal_code)
    zones = session.scalars(select(ShippingZone).order_by(ShippingZone.id)).all()
    return _zone_info(match_zone(zones, country.strip()[:2], code))
