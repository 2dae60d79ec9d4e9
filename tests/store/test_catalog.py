"""Do you have this in size 42? Product search as shoppers type it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import InvalidInput, normalize_size, product_alternatives, search_products
from bot.store.models import Category, Product, Variant
from bot.store.normalize import fold


def _a_product_with(session: Session, *conditions: object) -> tuple[Product, Variant]:
    row = session.execute(
        select(Product, Variant)
        .join(Variant, Variant.product_id == Product.id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(Variant.id)
        .limit(1)
    ).one_or_none()
    assert row is not None, f"the seed has no variant where {conditions}"
    return row[0], row[1]


def test_search_by_name_without_accents_finds_the_product(session: Session) -> None:
    product, _ = _a_product_with(session, Variant.stock > 0)
    typed = fold(product.name).upper()
    names = [m.name for m in search_products(session=session, words=typed, limit=50)]
    assert product.name in names


def test_search_by_category_in_singular_finds_the_plural_category(session: Session) -> None:
    category = session.scalars(select(Category).where(Category.slug.like("%s")).limit(1)).one()
    found = search_products(session=session, category=category.slug[:-1], limit=50)
    assert found and {m.category for m in found} == {category.name}


def test_size_and_colour_in_stock_are_found_and_listed(session: Session) -> None:
    product, variant = _a_product_with(
        session, Variant.stock > 0, Variant.size.is_not(None), Variant.colour.is_not(None)
    )
    found = search_products(
        session=session,
        words=product.name,
        size=f"talla {variant.size}",
        colour=variant.colour.upper(),
        limit=50,  # type: ignore[union-attr]
    )
    match = next(m for m in found if m.product_id == product.id)
    assert match.in_stock
    assert variant.size in match.sizes_in_stock and variant.colour in match.colours_in_stock


def test_size_sold_out_is_shown_as_out_of_stock_with_alternatives(session: Session) -> None:
    product, variant = _a_product_with(session, Variant.stock == 0, Variant.size.is_not(None))
    found = search_products(
        session=session, words=product.name, size=variant.size, colour=variant.colour, limit=50
    )
    match = next(m for m in found if m.product_id == product.id)
    assert not match.in_stock
    alternatives = product_alternatives(session=session, product_id=product.id, size=variant.size)
    assert len(alternatives) == 2
    assert all(a.in_stock and a.category == match.category for a in alternatives)
    assert product.id not in {a.product_id for a in alternatives}


def test_in_stock_products_come_first(session: Session) -> None:
    found = search_products(session=session, limit=50)
    flags = [m.in_stock for m in found]
    assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize("typed", ["%", "_", "' OR 1=1 --", "\\", "🙂"])
def test_wildcards_and_sql_match_literally(session: Session, typed: str) -> None:
    assert search_products(session=session, words=f"zzz{typed}qqq") == ()


def test_unknown_colour_or_impossible_size_finds_nothing_or_is_refused(session: Session) -> None:
    assert search_products(session=session, colour="fucsia fosforito") == ()
    with pytest.raises(InvalidInput):
        search_products(session=session, size="enorme")


@pytest.mark.parametrize(
    ("typed", "size"),
    [("42", "42"), ("talla 42,5", "42.5"), ("m", "M"), ("Talla XL", "XL"), ("mediana", "M")],
)
def test_sizes_are_read_as_shoppers_write_them(typed: str, size: str) -> None:
    assert normalize_size(typed) == size
