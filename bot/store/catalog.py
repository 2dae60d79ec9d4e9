"""Product search by words, category, size and colour, with what is in stock."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.errors import InvalidInput
from bot.store.models import Category, Product, Variant
from bot.store.normalize import clean_text, fold
from bot.store.records import ProductMatch, euros

MAX_TERMS = 8
_STOP_WORDS = frozenset(
    {
        "a",
        "al",
        "con",
        "de",
        "del",
        "el",
        "en",
        "la",
        "las",
        "lo",
        "los",
        "me",
        "mi",
        "o",
        "para",
        "por",
        "que",
        "quiero",
        "busco",
        "tienen",
        "teneis",
        "tenes",
        "hay",
        "un",
        "una",
        "unos",
        "unas",
        "y",
        "talla",
        "numero",
        "color",
        "tono",
    }
)
_LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL")
_SIZE_WORDS = {"PEQUENA": "S", "PEQUENO": "S", "MEDIANA": "M", "MEDIANO": "M", "GRANDE": "L"}


def _stem(word: str) -> str:
    """Crude Spanish singular, enough for a substring match: pantalones → pantalon."""
    if len(word) > 5 and word.endswith("es"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def _terms(words: str | None) -> list[str]:
    tokens = re.findall(r"[a-z0-9]+", fold(clean_text(words or "", limit=300)))
    terms = [_stem(t) for t in tokens if t not in _STOP_WORDS and len(t) > 1]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def _escape(term: str) -> str:
    """Bound LIKE patterns still treat % and _ as wildcards; escape them."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def normalize_size(raw: str) -> str:
    """``42``, ``42,5`` → ``42.5``, ``m`` → ``M``, ``talla grande`` → ``L``."""
    text = fold(raw or "").upper()
    text = re.sub(r"\b(TALLA|NUMERO|N[O.]?|LA|EL|UNA?)\b", " ", text).strip().replace(",", ".")
    text = _SIZE_WORDS.get(text, text).replace(" ", "")
    text = {"XXXL": "3XL", "EXTRAGRANDE": "XL"}.get(text, text)
    if not re.fullmatch(r"\d{1,2}(\.5)?|[0-9]?X{0,3}[SML]", text):
        raise InvalidInput("size", raw or "")
    return text


def _size_key(size: str) -> tuple[int, float]:
    if size in _LETTER_SIZES:
        return (0, _LETTER_SIZES.index(size))
    try:
        return (1, float(size))
    except ValueError:
        return (2, 0.0)


def _matching_colours(session: Session, colour: str) -> list[str]:
    """Stored colour names equal to ``colour`` ignoring case and accents ("marron" is "marrón")."""
    wanted = fold(clean_text(colour, limit=40))
    stored = session.scalars(select(Variant.colour).where(Variant.colour.is_not(None)).distinct())
    return [c for c in stored if fold(c) == wanted]


def search_products(
    *,
    session: Session,
    words: str | None = None,
    category: str | None = None,
    size: str | None = None,
    colour: str | None = None,
    limit: int = 5,
) -> tuple[ProductMatch, ...]:
    """Products matching every word (accent-blind) and the category; in-stock ones first.

    A product that has the size and colour asked but none left still appears,
    marked ``in_stock=False``, so the assistant can say so and offer alternatives.
    """
    limit = max(1, min(limit, 50))
    stmt = (
        select(Product, Category.name)
        .join(Category, Product.category_id == Category.id)
        .where(Product.active.is_(True))
    )
    for term in _terms(words):
        stmt = stmt.where(Product.search_text.like(f"%{_escape(term)}%", escape="\\"))
    if category and category.strip():
        slug = _stem(fold(clean_text(category, limit=60)).replace(" ", "-"))
        stmt = stmt.where(Category.slug.like(f"{_escape(slug)}%", escape="\\"))
    wanted_size = normalize_size(size) if size else None
    colours = _matching_colours(session, colour) if colour else None
    if colours == []:
        return ()
    candidates = session.execute(stmt.order_by(Product.name).limit(400)).all()
    variants = _variants_of(session, [p.id for p, _ in candidates])

    matches = []
    for product, category_name in candidates:
        match = _match(product, category_name, variants[product.id], wanted_size, colours)
        if match is not None:
            matches.append(match)
    matches.sort(key=lambda m: (not m.in_stock, m.name))
    return tuple(matches[:limit])


def _variants_of(session: Session, product_ids: Sequence[int]) -> dict[int, list[Variant]]:
    grouped: dict[int, list[Variant]] = defaultdict(list)
    if product_ids:
        for variant in session.scalars(
            select(Variant).where(Variant.product_id.in_(product_ids)).order_by(Variant.id)
        ):
            grouped[variant.product_id].append(variant)
    return grouped


def _match(
    product: Product,
    category_name: str,
    variants: Iterable[Variant],
    size: str | None,
    colours: list[str] | None,
) -> ProductMatch | None:
    variants = list(variants)
    fitting = [
        v
        for v in variants
        if (size is None or v.size == size) and (colours is None or v.colour in colours)
    ]
    if not fitting:
        return None
    stocked = [v for v in variants if v.stock > 0]
    same_colour = [v for v in stocked if colours is None or v.colour in colours]
    same_size = [v for v in stocked if size is None or v.size == size]
    return ProductMatch(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        brand=product.brand,
        category=category_name,
        description=product.description,
        price_from=euros(min(v.price_cents for v in fitting)),
        sizes_in_stock=tuple(sorted({v.size for v in same_colour if v.size}, key=_size_key)),
        colours_in_stock=tuple(sorted({v.colour for v in same_size if v.colour})),
        in_stock=any(v.stock > 0 for v in fitting),
    )


def product_alternatives(
    *,
    session: Session,
    product_id: int,
    size: str | None = None,
    limit: int = 2,
) -> tuple[ProductMatch, ...]:
    """Other in-stock products of the same category (in ``size`` if given), nearest in price."""
    product = session.get(Product, product_id)
    if product is None:
        return ()
    wanted_size = normalize_size(size) if size else None
    own_prices = [v.price_cents for v in product.variants] or [0]
    reference = min(own_prices)
    candidates = session.execute(
        select(Product, Category.name)
        .join(Category, Product.category_id == Category.id)
        .where(
            Product.category_id == product.category_id,
            Product.id != product.id,
            Product.active.is_(True),
        )
    ).all()
    variants = _variants_of(session, [p.id for p, _ in candidates])
    found = []
    for other, category_name in candidates:
        match = _match(other, category_name, variants[other.id], wanted_size, None)
        if match is not None and match.in_stock:
            found.append(match)
    found.sort(key=lambda m: (abs(int(m.price_from * 100) - reference), m.name))
    return tuple(found[:limit])
