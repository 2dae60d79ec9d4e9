"""What every action shares: store calls off the event loop, the verified order, Spanish formats."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.store import OrderNotVerified, StoreError, store_session, verify_order
from bot.store.records import VerifiedOrder

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_VERIFICATION_ATTEMPTS = 3
MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
STATUS_WORDS = {
    "pendiente_pago": "pendiente de pago",
    "pagado": "pagado y a la espera de que lo preparemos",
    "preparando": "en preparación en nuestro almacén",
    "enviado": "enviado",
    "en_reparto": "en reparto: hoy lo lleva el repartidor",
    "entregado": "entregado",
    "cancelado": "cancelado",
    "devuelto": "devuelto",
}


async def run_store(work: Callable[[Session], T]) -> T:
    """Run ``work`` in one store transaction on a worker thread, so the event loop never waits.

    Any database failure reaches the action as a ``StoreError`` it can apologise for.
    """

    def in_session() -> T:
        try:
            with store_session() as session:
                return work(session)
        except SQLAlchemyError as exc:
            log.error("store query failed: %s", exc.__class__.__name__, exc_info=exc)
            raise StoreError("the store query failed") from exc

    return await asyncio.to_thread(in_session)


def verified_order(session: Session, tracker: Tracker) -> VerifiedOrder | None:
    """The order this conversation verified, re-checked against its credential; None if none."""
    number = tracker.get_slot("pedido_verificado")
    credential = tracker.get_slot("credencial")
    if not number or not credential:
        return None
    try:
        if "@" in str(credential):
            return verify_order(session=session, number=number, email=credential)
        return verify_order(session=session, number=number, postal_code=credential)
    except (OrderNotVerified, StoreError):
        return None


def ask_to_verify(dispatcher: CollectingDispatcher, intent: str) -> None:
    """No verified order in this conversation: offer to verify one, then do ``intent``."""
    dispatcher.utter_message(
        response="utter_necesito_verificar",
        buttons=[{"title": "Verificar mi pedido", "payload": f"/{intent}"}],
    )


def apologise_for_store(dispatcher: CollectingDispatcher, error: Exception) -> list[dict[str, Any]]:
    """The store is down: say sorry and offer a person; never silence."""
    log.error("store unavailable in an action: %s", error)
    dispatcher.utter_message(response="utter_error_tienda")
    return []


def spanish_date(value: date | datetime, *, weekday: bool = False, year: bool = False) -> str:
    """``24 de noviembre`` (``martes, 24 de noviembre``; ``… de 2026`` when asked)."""
    day = value.date() if isinstance(value, datetime) else value
    text = f"{day.day} de {MONTHS[day.month - 1]}"
    if year:
        text += f" de {day.year}"
    return f"{WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def spanish_time(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def euros(amount: Decimal) -> str:
    """``1.234,50 €``: Spanish thousands and decimal separators."""
    whole, cents = f"{amount:.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return ".".join([whole, *groups]) + f",{cents} €"


def join_words(items: list[str]) -> str:
    """``a``, ``a y b``, ``a, b y c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" y {items[-1]}"
