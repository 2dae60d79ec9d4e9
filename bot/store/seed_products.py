"""Turn the static catalogue into rows: categories, products, variants, zones, payments, promos."""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from bot.store.models import ShippingZone
from bot.store.normalize import fold
from bot.store.seed_catalog import (
    CATEGORIES,
    CLOTHING_SIZES,
    COLOUR_CODES,
    FOOTWEAR_SIZES,
    GIFT_CARD_CATEGORY,
    GIFT_CARD_DETAIL,
    GIFT_CARDS,
    MODEL_NAMES,
    PAYMENT_METHODS,
    POLICY,
    PROMOTIONS,
    ZONES,
    CategorySpec,
)

Row = dict[str, object]


@dataclass(frozen=True)
class Sellable:
    """One variant as an order line needs it: what it is called and whether it can go back."""

    variant_id: int
    product_id: int
    product_name: str
    category: str  # slug
    returnable: bool
    price_cents: int


@dataclass(frozen=True)
class Promo:
    code: str
    percent: int
    category: str | None
    starts_on: date
    ends_on: date


@dataclass
class Catalogue:
    """Rows ready to insert plus the lookups orders are built from."""

    rows: dict[str, list[Row]]
    zones: list[ShippingZone]
    promotions: list[Promo]
    _products: list[list[Sellable]] = field(default_factory=list)
    _popularity: list[float] = field(default_factory=list)
    _pools: dict[str, tuple[list[list[Sellable]], list[float]]] = field(default_factory=dict)

    def pick(self, rng: random.Random, *, pool: str = "all") -> Sellable:
        """A variant, popular products more often; ``pool`` is "all", "returnable" or a slug."""
        products, cum = self._pool(pool)
        variants = products[bisect(cum, rng.random() * cum[-1])]
        return variants[rng.randrange(len(variants))]

    def _pool(self, pool: str) -> tuple[list[list[Sellable]], list[float]]:
        if pool not in self._pools:
            chosen = [
                (variants, weight)
                for variants, weight in zip(self._products, self._popularity, strict=True)
                if pool == "all"
                or (pool == "returnable" and variants[0].returnable)
                or variants[0].category == pool
            ]
            self._pools[pool] = (
                [v for v, _ in chosen],
                list(accumulate(w for _, w in chosen)),
            )
        return self._pools[pool]


def _allocate(total: int, specs: tuple[CategorySpec, ...]) -> list[int]:
    """Split ``total`` products across categories by weight, at least two each."""
    weight_sum = sum(s.weight for s in specs)
    exact = [total * s.weight / weight_sum for s in specs]
    counts = [max(2, int(x)) for x in exact]
    by_fraction = sorted(range(len(specs)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in by_fraction[: max(0, total - sum(counts))]:
        counts[i] += 1
    return counts


def _price(rng: random.Random, spec: CategorySpec) -> int:
    """Shop-style prices that end in ,99 or ,95."""
    low, high = spec.price_euros
    return rng.randint(low, high) * 100 - rng.choice((1, 1, 1, 5))


def _stock(rng: random.Random) -> int:
    """About one variant in six sold out and one in seven down to its last units."""
    draw = rng.random()
    if draw < 0.16:
        return 0
    if draw < 0.30:
        return rng.randint(1, 3)
    return rng.randint(4, 80)


def _list_es(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} y {words[-1]}"


def _sizes(spec: CategorySpec) -> tuple[str | None, ...]:
    if spec.sizing == "calzado":
        return FOOTWEAR_SIZES
    if spec.sizing == "ropa":
        return CLOTHING_SIZES
    return (None,)


def _size_sentence(spec: CategorySpec) -> str:
    if spec.sizing == "calzado":
        return " Tallas del 36 al 46."
    if spec.sizing == "ropa":
        return " Tallas de la XS a la XXL."
    return ""


ProductDraft = tuple[
    str, int, str, str, tuple[str, ...]
]  # name, price, description, brand, colours


def _product_drafts(rng: random.Random, spec: CategorySpec, count: int) -> list[ProductDraft]:
    """``count`` distinct products of a category: a type plus a model name, e.g. "Polo Brisa"."""
    if spec is GIFT_CARD_CATEGORY:
        return [
            (name, price, f"{text} {GIFT_CARD_DETAIL}", "Ruta Store", ())
            for name, price, text in GIFT_CARDS
        ]
    combos = [(kind, what, model) for kind, what in spec.types for model in MODEL_NAMES]
    drafts: list[ProductDraft] = []
    for kind, what, model in rng.sample(combos, count):
        colours: list[str] = []
        if spec.colours:
            colours = rng.sample(spec.colours, rng.randint(1, min(4, len(spec.colours))))
        text = f"{kind} {what}. {rng.choice(spec.details)}"
        if colours:
            text += f" Disponible en {_list_es(colours)}."
        text += _size_sentence(spec)
        brand = rng.choice(spec.brands)
        drafts.append((f"{kind} {model}", _price(rng, spec), text, brand, tuple(colours)))
    return drafts


def build_catalogue(rng: random.Random, n_products: int, today: date) -> Catalogue:
    """Categories, products and variants for ``n_products`` products, plus the shop's rules."""
    specs = (*CATEGORIES, GIFT_CARD_CATEGORY)
    categories: list[Row] = []
    products: list[Row] = []
    variants: list[Row] = []
    sellables: list[list[Sellable]] = []
    popularity: list[float] = []
    counts = _allocate(max(n_products - len(GIFT_CARDS), 2 * len(CATEGORIES)), CATEGORIES)
    counts.append(len(GIFT_CARDS))
    for cat_id, (spec, count) in enumerate(zip(specs, counts, strict=True), start=1):
        categories.append(
            {
                "id": cat_id,
                "slug": spec.slug,
                "name": spec.name,
                "returnable": spec.returnable,
                "return_note": spec.return_note,
            }
        )
        drafts = _product_drafts(rng, spec, count)
        for name, price, description, brand, colours in drafts:
            product_id = len(products) + 1
            sku = f"{spec.code}-{product_id:04d}"
            active = spec is GIFT_CARD_CATEGORY or rng.random() > 0.04
            products.append(
                {
                    "id": product_id,
                    "sku": sku,
                    "name": name,
                    "brand": brand,
                    "category_id": cat_id,
                    "description": description,
                    "search_text": fold(f"{name} {brand} {spec.name} {description}"),
                    "active": active,
                }
            )
            group: list[Sellable] = []
            for colour in colours or (None,):
                for size in _sizes(spec):
                    variant_id = len(variants) + 1
                    colour_code = COLOUR_CODES[colour] if colour else ""
                    suffix = "-".join(p for p in (colour_code, size) if p) or "U"
                    stock = 500 if spec is GIFT_CARD_CATEGORY else _stock(rng) if active else 0
                    variants.append(
                        {
                            "id": variant_id,
                            "product_id": product_id,
                            "sku": f"{sku}-{suffix}",
                            "size": size,
                            "colour": colour,
                            "price_cents": price,
                            "stock": stock,
                        }
                    )
                    group.append(
                        Sellable(variant_id, product_id, name, spec.slug, spec.returnable, price)
                    )
            sellables.append(group)
            popularity.append(spec.weight * min(rng.paretovariate(1.3), 15.0) if spec.weight else 3)
    zone_rows: list[Row] = [
        dict(
            zip(
                (
                    "code",
                    "name",
                    "countries",
                    "postal_prefixes",
                    "cost_cents",
                    "free_from_cents",
                    "days_min",
                    "days_max",
                ),
                zone,
                strict=True,
            ),
            id=i,
        )
        for i, zone in enumerate(ZONES, start=1)
    ]
    category_ids = {c["slug"]: c["id"] for c in categories}
    promo_rows = [
        {
            "id": i,
            "code": code,
            "title": title,
            "description": text,
            "discount_percent": percent,
            "category_id": category_ids[slug] if slug else None,
            "starts_on": today + timedelta(days=start),
            "ends_on": today + timedelta(days=end),
        }
        for i, (code, title, text, percent, slug, start, end) in enumerate(PROMOTIONS, start=1)
    ]
    catalogue = Catalogue(
        rows={
            "store_policy": [dict(POLICY)],
            "store_categories": categories,
            "store_products": products,
            "store_variants": variants,
            "store_shipping_zones": zone_rows,
            "store_payment_methods": [
                dict(
                    zip(
                        ("code", "name", "description", "max_installments", "active"),
                        m,
                        strict=True,
                    )
                )
                for m in PAYMENT_METHODS
            ],
            "store_promotions": promo_rows,
        },
        zones=[ShippingZone(**row) for row in zone_rows],
        promotions=[
            Promo(p[0], p[3], p[4], today + timedelta(days=p[5]), today + timedelta(days=p[6]))
            for p in PROMOTIONS
        ],
    )
    catalogue._products = sellables
    catalogue._popularity = popularity
    return catalogue
