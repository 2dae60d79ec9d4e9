"""A shopper asks whether a product is in stock, in a size or colour, and hears only real ones."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from actions.products import ActionBuscarProducto
from bot.store import store_session
from bot.store.models import Category, Product, Variant
from tests.actions.helpers import domain, make_tracker, responses, run, slot_events


def _entities(**values: str) -> list[dict[str, Any]]:
    return [{"entity": name, "value": value} for name, value in values.items()]


def _text(message: dict[str, Any]) -> str:
    return str(domain()["responses"][message["response"]][0]["text"]).format(**message)


def _lines(text: str) -> int:
    return len(text.splitlines())


async def _ask(slots: dict[str, Any] | None = None, **entities: str) -> Any:
    tracker = make_tracker(intent="consultar_producto", slots=slots, entities=_entities(**entities))
    return await run(ActionBuscarProducto(), tracker)


async def test_product_in_stock_is_named_with_price_sizes_and_colours() -> None:
    with store_session() as session:
        name, brand, size, colour = session.execute(
            select(Product.name, Product.brand, Variant.size, Variant.colour)
            .join(Variant, Variant.product_id == Product.id)
            .where(Variant.stock > 0, Variant.size.is_not(None), Variant.colour.is_not(None))
            .order_by(Variant.id)
            .limit(1)
        ).one()
    messages, _ = await _ask(producto=name)
    assert responses(messages) == ["utter_producto_disponible"]
    text = _text(messages[0])
    assert name in text and brand in text and " €" in text
    assert f" {size}" in messages[0]["existencias"] and colour in messages[0]["existencias"]


async def test_size_sold_out_says_so_and_offers_exactly_two_alternatives_with_that_size() -> None:
    with store_session() as session:
        name, size = session.execute(
            select(Product.name, Variant.size)
            .join(Variant, Variant.product_id == Product.id)
            .where(Variant.size.is_not(None), Product.active.is_(True))
            .group_by(Product.id, Product.name, Variant.size)
            .having(func.max(Variant.stock) == 0)
            .order_by(Product.id)
            .limit(1)
        ).one()
    messages, events = await _ask(producto=name, talla=size)
    said = responses(messages)
    assert said[0] == "utter_producto_agotado" and said[-1] == "utter_producto_alternativas"
    assert f"{name}" in _text(messages[0]) and f"la talla {size}" in _text(messages[0])
    alternatives = messages[-1]["alternativas"].splitlines()
    assert len(alternatives) == 2 and name not in messages[-1]["alternativas"]
    assert all(f"sí tiene la talla {size}" in line and " €" in line for line in alternatives)
    assert sum(_lines(_text(m)) for m in messages) <= 5
    assert slot_events(events)["talla"] == size


async def test_nothing_found_asks_for_more_detail_without_inventing_products() -> None:
    messages, _ = await _ask(producto="paraguas plegable", color="negro")
    assert responses(messages) == ["utter_producto_no_encontrado"]
    assert messages[0]["busqueda"] == "paraguas plegable en negro"
    assert "qué producto" in _text(messages[0])


async def test_impossible_size_is_explained_with_the_size_formats() -> None:
    messages, events = await _ask(producto="zapatillas", talla="enorme")
    assert responses(messages) == ["utter_talla_invalida"]
    assert "XL" in _text(messages[0]) and "42" in _text(messages[0])
    assert slot_events(events)["talla"] is None


async def test_several_matches_are_listed_briefly_three_at_most() -> None:
    with store_session() as session:
        category = session.scalars(
            select(Category.name)
            .join(Product, Product.category_id == Category.id)
            .group_by(Category.name)
            .having(func.count(Product.id) > 3)
            .limit(1)
        ).one()
    messages, _ = await _ask(categoria=category)
    assert responses(messages) == ["utter_productos_encontrados"]
    assert len(messages[0]["productos"].splitlines()) == 3
    assert _lines(_text(messages[0])) == 5


async def test_naming_another_product_forgets_the_last_size_and_brand() -> None:
    _, events = await _ask(
        {"producto": "zapatillas", "talla": "42", "marca": "Senda"}, producto="camiseta"
    )
    assert slot_events(events) == {
        "producto": "camiseta",
        "categoria": None,
        "marca": None,
        "talla": None,
        "color": None,
    }


async def test_asking_for_a_size_keeps_the_product_asked_before() -> None:
    _, events = await _ask({"producto": "camiseta", "marca": "Marea"}, talla="m")
    assert slot_events(events) == {
        "producto": "camiseta",
        "categoria": None,
        "marca": "Marea",
        "talla": "M",
        "color": None,
    }


async def test_no_product_named_asks_what_they_are_looking_for() -> None:
    messages, _ = await _ask()
    assert responses(messages) == ["utter_ask_producto"]


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_while_searching_apologises() -> None:
    messages, _ = await _ask(producto="zapatillas")
    assert responses(messages) == ["utter_error_tienda"]
