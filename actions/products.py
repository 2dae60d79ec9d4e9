"""Do you have this in size 42? Catalogue answers in a few lines, with alternatives when sold out.

Only what the catalogue returns is named: nothing found means asking for more detail, never a
guessed product.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import apologise_for_store, euros, join_words, run_store
from bot.store import (
    InvalidInput,
    StoreError,
    normalize_size,
    product_alternatives,
    search_products,
)
from bot.store.records import ProductMatch

log = logging.getLogger(__name__)

SEARCH_SLOTS = ("producto", "categoria", "marca", "talla", "color")
MAX_LISTED = 3


@dataclass(frozen=True)
class _Found:
    matches: tuple[ProductMatch, ...]
    alternatives: tuple[ProductMatch, ...]


def _wanted(tracker: Tracker) -> dict[str, str | None]:
    """What the shopper asks for: this message's entities, then what earlier ones left.

    Naming a product or category starts a new search, so an earlier size or brand is dropped.
    """
    latest: dict[str, str] = {}
    for entity in tracker.latest_message.get("entities") or []:
        name, value = entity.get("entity"), str(entity.get("value") or "").strip()
        if name in SEARCH_SLOTS and value and name not in latest:
            latest[name] = value
    if "producto" in latest or "categoria" in latest:
        return {name: latest.get(name) for name in SEARCH_SLOTS}
    slots = {name: str(tracker.get_slot(name) or "").strip() or None for name in SEARCH_SLOTS}
    return {name: latest.get(name) or slots[name] for name in SEARCH_SLOTS}


def _search(session: Session, wanted: dict[str, str | None]) -> _Found:
    words = " ".join(w for w in (wanted["producto"], wanted["marca"]) if w)
    matches = search_products(
        session=session,
        words=words or None,
        category=wanted["categoria"],
        size=wanted["talla"],
        colour=wanted["color"],
        limit=MAX_LISTED,
    )
    alternatives: tuple[ProductMatch, ...] = ()
    if matches and not matches[0].in_stock:  # in-stock products come first: none has it
        alternatives = product_alternatives(
            session=session, product_id=matches[0].product_id, size=wanted["talla"]
        )
    return _Found(matches, alternatives)


def _size(size: str) -> str:
    """Sizes as shoppers write them: ``42,5``."""
    return size.replace(".", ",")


def _asked(wanted: dict[str, str | None]) -> str:
    """``la talla 42 en rojo``, ``la talla M``, ``rojo``; empty when neither was asked."""
    size, colour = wanted["talla"], wanted["color"]
    if size and colour:
        return f"la talla {_size(size)} en {colour}"
    return f"la talla {_size(size)}" if size else colour or ""


def _described(wanted: dict[str, str | None]) -> str:
    """The search in words: ``zapatillas de Senda en la talla 42``."""
    text = wanted["producto"] or wanted["categoria"] or "productos"
    if wanted["marca"]:
        text += f" de {wanted['marca']}"
    asked = _asked(wanted)
    return f"{text} en {asked}" if asked else text


def _stock(match: ProductMatch) -> str:
    sizes, colours = [_size(s) for s in match.sizes_in_stock], list(match.colours_in_stock)
    if sizes and colours:
        return f"Tallas disponibles: {join_words(sizes)}. Colores: {join_words(colours)}."
    if sizes:
        return f"Tallas disponibles: {join_words(sizes)}."
    if colours:
        return f"Colores disponibles: {join_words(colours)}."
    return "Puedes pedirlo ya."


def _line(match: ProductMatch, asked: str) -> str:
    line = f"• {match.name} ({match.brand}), {euros(match.price_from)}"
    return line if match.in_stock or not asked else f"{line}: agotado en {asked}"


def _alternative(match: ProductMatch, size: str | None) -> str:
    line = f"• {match.name} ({match.brand}), {euros(match.price_from)}"
    if not size:
        return line
    return f"{line}: {'sí' if match.in_stock else 'no'} tiene la talla {_size(size)}"


class ActionBuscarProducto(Action):
    """Answers from the catalogue: one product in detail, a few briefly, or what is missing."""

    def name(self) -> str:
        return "action_buscar_producto"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        wanted = _wanted(tracker)
        if not (wanted["producto"] or wanted["categoria"] or wanted["marca"]):
            dispatcher.utter_message(response="utter_ask_producto")
            return _remember(wanted)
        if wanted["talla"]:
            try:
                wanted["talla"] = normalize_size(wanted["talla"])
            except InvalidInput:
                dispatcher.utter_message(response="utter_talla_invalida", talla=wanted["talla"])
                return _remember({**wanted, "talla": None})
        try:
            found = await run_store(lambda session: _search(session, wanted))
        except InvalidInput as exc:
            log.warning("product search refused: %s", exc)
            found = _Found((), ())
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc)
        _answer(dispatcher, wanted, found)
        return _remember(wanted)


def _remember(wanted: dict[str, str | None]) -> list[dict[str, Any]]:
    return [SlotSet(name, wanted[name]) for name in SEARCH_SLOTS]


def _answer(dispatcher: CollectingDispatcher, wanted: dict[str, str | None], found: _Found) -> None:
    matches, asked = found.matches, _asked(wanted)
    if not matches:
        dispatcher.utter_message(
            response="utter_producto_no_encontrado", busqueda=_described(wanted)
        )
        return
    first = matches[0]
    if first.in_stock and len(matches) == 1:
        dispatcher.utter_message(
            response="utter_producto_disponible",
            nombre=first.name,
            marca=first.brand,
            precio=euros(first.price_from),
            existencias=_stock(first),
        )
        return
    if first.in_stock:
        lines = "\n".join(_line(match, asked) for match in matches[:MAX_LISTED])
        dispatcher.utter_message(response="utter_productos_encontrados", productos=lines)
        return
    single = len(matches) == 1
    product = f"{first.name} ({first.brand})"
    dispatcher.utter_message(
        response="utter_producto_agotado",
        busqueda=(f"{product} en {asked}" if asked else product) if single else _described(wanted),
    )
    left = _left(first, wanted) if single else ""
    if left:
        dispatcher.utter_message(response="utter_producto_otras_tallas", quedan=left)
    _offer_alternatives(dispatcher, found.alternatives, wanted["talla"])


def _left(match: ProductMatch, wanted: dict[str, str | None]) -> str:
    """What the sold-out product still has: ``la talla 42 en negro y las tallas 40 y 41``."""
    size, colour = wanted["talla"], wanted["color"]
    parts = []
    colours, sizes = list(match.colours_in_stock), [_size(s) for s in match.sizes_in_stock]
    if colours and size:
        parts.append(f"la talla {_size(size)} en {join_words(colours)}")
    elif colours:
        parts.append(
            f"el color {colours[0]}" if len(colours) == 1 else f"los colores {join_words(colours)}"
        )
    if sizes:
        text = f"la talla {sizes[0]}" if len(sizes) == 1 else f"las tallas {join_words(sizes)}"
        parts.append(f"{text} en {colour}" if colour else text)
    return " y ".join(parts)


def _offer_alternatives(
    dispatcher: CollectingDispatcher, alternatives: tuple[ProductMatch, ...], size: str | None
) -> None:
    if not alternatives:
        dispatcher.utter_message(response="utter_producto_sin_alternativas")
        return
    lines = "\n".join(_alternative(match, size) for match in alternatives)
    dispatcher.utter_message(response="utter_producto_alternativas", alternativas=lines)
