"""Product search by words, category, size and colour, with what is in stock."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

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


def _matching_categories(session: Session, category: str) -> list[int]:
    """Categories with a name or slug word starting with each word typed (bikini: Bañadores)."""
    words = [_stem(w) for w in re.findall(r"[a-z0-9]+", fold(clean_text(category, limit=60)))]
    words = [w for w in words if w not in _STOP_WORDS and len(w) > 2]
    found = []
    for cat_id, slug, name in session.execute(select(Category.id, Category.slug, Category.name)):
        names = set(re.findall(r"[a-z0-9]+", fold(f"{slug} {name}")))
        if words and all(any(n.startswith(w) for n in names) for w in words):
            found.append(cat_id)
    return found


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
    wanted_size = normalize_size(size) if size else None
    colours = _matching_colours(session, colour) if colour else None
    if colours == []:
        return ()
    fits = _fits(wanted_size, colours)
    in_stock = exists(select(Variant.id).where(*fits, Variant.stock > 0))
    conditions: list[ColumnElement[Any]] = [Product.active.is_(True)]
    if wanted_size or colours:
        conditions.append(exists(select(Variant.id).where(*fits)))
    for term in _terms(words):
        conditions.append(Product.search_text.like(f"%{_escape(term)}%", escape="\\"))
    if category and category.strip():
        conditions.append(Product.category_id.in_(_matching_categories(session, category)))
    rows = session.execute(
        _product_columns().where(*conditions).order_by(in_stock.desc(), Product.name).limit(limit)
    ).all()
    return _matches(session, rows, wanted_size, colours)


def _fits(size: str | None, colours: list[str] | None) -> list[ColumnElement[Any]]:
    """Conditions on a variant of the outer product with the size and colour asked."""
    fits: list[ColumnElement[Any]] = [Variant.product_id == Product.id]
    if size:
        fits.append(Variant.size == size)
    if colours:
        fits.append(Variant.colour.in_(colours))
    return fits


def _product_columns() -> Any:
    return select(
        Product.id, Product.sku, Product.name, Product.brand, Category.name, Product.description
    ).join(Category, Product.category_id == Category.id)


def _matches(
    session: Session, rows: Sequence[Any], size: str | None, colours: list[str] | None
) -> tuple[ProductMatch, ...]:
    """Build results from product rows with one query for all their variants, in row order."""
    variants: dict[int, list[Any]] = defaultdict(list)
    if rows:
        for variant in session.execute(
            select(
                Variant.product_id, Variant.size, Variant.colour, Variant.price_cents, Variant.stock
            ).where(Variant.product_id.in_([row[0] for row in rows]))
        ):
            variants[variant.product_id].append(variant)
    matches = []
    for product_id, sku, name, brand, category, description in rows:
        own = variants[product_id]
        fitting = [
            v
            for v in own
            if (size is None or v.size == size) and (colours is None or v.colour in colours)
        ] or own
        stocked = [v for v in own if v.stock > 0]
        same_colour = {
            v.size for v in stocked if v.size and (colours is None or v.colour in colours)
        }
        same_size = {v.colour for v in stocked if v.colour and (size is None or v.size == size)}
        matches.append(
            ProductMatch(
                product_id=product_id,
                sku=sku,
                name=name,
                brand=brand,
                category=category,
                description=description,
                price_from=euros(min((v.price_cents for v in fitting), default=0)),
                sizes_in_stock=tuple(sorted(same_colour, key=_size_key)),
                colours_in_stock=tuple(sorted(same_size)),
                in_stock=any(v.stock > 0 for v in fitting),
            )
        )
    return tuple(matches)


def product_alternatives(
    *,
    session: Session,
    product_id: int,
    size: str | None = None,
    limit: int = 2,
) -> tuple[ProductMatch, ...]:
    """Other in-stock products of the same category (in ``size`` if given), nearest in price."""
    wanted_size = normalize_size(size) if size else None
    product = session.execute(
        select(Product.category_id, func.min(Variant.price_cents))
        .join(Variant, Variant.product_id == Product.id)
        .where(Product.id == product_id)
        .group_by(Product.category_id)
    ).one_or_none()
    if product is None:
        return ()
    category_id, reference = product
    fits = _fits(wanted_size, None)
    lowest = select(func.min(Variant.price_cents)).where(*fits).scalar_subquery()
    rows = session.execute(
        _product_columns()
        .where(
            Product.category_id == category_id,
            Product.id != product_id,
            Product.active.is_(True),
            exists(select(Variant.id).where(*fits, Variant.stock > 0)),
        )
        .order_by(func.abs(lowest - reference), Product.name)
        .limit(max(1, min(limit, 10)))
    ).all()
    return _matches(session, rows, wanted_size, None)
