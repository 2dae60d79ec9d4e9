"""Returning items: which ones, why, then the RMA code and what to do with the parcel.

Whether something can go back is the store's call (``check_return``); this module phrases
it. An order with one returnable item is not asked which; one that cannot go back at all
is told why, and the form ends there with both slots set to ``ninguno``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import (
    apologise_for_store,
    ask_to_verify,
    euros,
    join_words,
    run_store,
    spanish_date,
    verified_order,
)
from actions.verification import OrderFormValidation, refuse, unverified_outcome
from bot.store import (
    ActionNotAllowed,
    InvalidInput,
    StoreError,
    check_return,
    create_return,
    get_policies,
)
from bot.store.item_matching import match_items
from bot.store.models import RETURN_REASONS
from bot.store.normalize import fold, normalize_code
from bot.store.records import (
    ItemEligibility,
    OrderLine,
    Policies,
    ReturnCreated,
    ReturnEligibility,
    ReturnLine,
)
from bot.store.records import VerifiedOrder as Order

log = logging.getLogger(__name__)

ITEMS, REASON = "articulos_devolucion", "motivo_devolucion"
NOTHING = "ninguno"  # both slots hold it when the form ended with nothing to return
FAULTY = ("danado", "incorrecto", "incompleto")  # returned as "defectuoso": the guarantee applies
REASON_ALIASES = {"no_me_gusta": "no_gusta", "roto": "danado", "defectuoso": "danado"}
NO_ITEMS = {"no", "ninguno", "ninguna", "nada", "gracias", "mejor", "dejalo", "olvidalo"}
# Refusal codes with their own answer, ``utter_devolucion_<code>``; others get a general one.
REFUSALS = {
    "no_entregado", "cancelado", "devuelto", "ya_devuelto", "fuera_de_plazo",
    "fuera_de_garantia", "categoria_no_retornable",
}  # fmt: skip


class ValidateFormDevolucion(OrderFormValidation):
    """The order slots as everywhere; then which items (by name, or "todos") and why."""

    def name(self) -> str:
        return "validate_form_devolucion"

    async def validate_credencial(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = await super().validate_credencial(value, dispatcher, tracker, domain)
        if not result.get("pedido_verificado") or tracker.get_slot(ITEMS):
            return result
        tracker.slots.update(result)  # as the SDK does next; the lookup reads the new order
        return {**result, **await self.extract_articulos_devolucion(dispatcher, tracker, domain)}

    async def extract_articulos_devolucion(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Fill the items unasked when there is one, or when an answer NLU missed names one."""
        if tracker.get_slot(ITEMS) is not None or not tracker.get_slot("pedido_verificado"):
            return {}
        try:
            found = await run_store(lambda session: _eligibility(session, tracker))
        except StoreError as exc:
            log.warning("return eligibility unavailable while extracting: %s", exc)
            return {}
        if found is None:
            return {}
        order, check = found
        if len(check.items) == 1 and check.items[0].eligible:
            return {ITEMS: str(check.items[0].item_id)}
        if tracker.get_slot("requested_slot") == ITEMS:
            text = tracker.latest_message.get("text") or ""
            ids = _match_items(text, check.eligible_items, order)
            if ids:
                return {ITEMS: ",".join(map(str, ids))}
        return {}

    async def validate_articulos_devolucion(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        said = set(re.findall(r"\w+", fold(text)))
        if text == NOTHING or (said and said <= NO_ITEMS):
            return {ITEMS: NOTHING, REASON: NOTHING}
        try:
            found = await run_store(lambda session: _eligibility(session, tracker))
        except StoreError as exc:
            apologise_for_store(dispatcher, exc)
            return {ITEMS: NOTHING, REASON: NOTHING}
        if found is None:
            ask_to_verify(dispatcher, "solicitar_devolucion")
            return {ITEMS: NOTHING, REASON: NOTHING}
        order, check = found
        eligible = {str(item.item_id) for item in check.eligible_items}
        if set(text.split(",")) <= eligible:  # ids, as filled without asking
            return {ITEMS: text}
        ids = _match_items(text, check.eligible_items, order)
        if not ids:
            return refuse(ITEMS, value, dispatcher, tracker, "utter_articulos_no_encontrados")
        return {ITEMS: ",".join(map(str, ids))}

    def validate_motivo_devolucion(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == NOTHING:
            return {REASON: NOTHING}
        code = fold(str(value or "").strip()).replace(" ", "_")
        try:
            return {
                REASON: normalize_code(REASON_ALIASES.get(code, code), RETURN_REASONS, "reason")
            }
        except InvalidInput:  # "no me", "que compré": words the NLU took for a reason
            return refuse(REASON, value, dispatcher, tracker, "utter_motivo_devolucion_invalido")


class ActionAskArticulosDevolucion(Action):
    """Offer the returnable items as buttons; if none can go back, say why and end the form."""

    def name(self) -> str:
        return "action_ask_articulos_devolucion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        def look_up(session: Session) -> tuple[Order, ReturnEligibility, int, bool] | None:
            found = _eligibility(session, tracker)
            if found is None:
                return None
            order, check = found
            window = get_policies(session=session).return_window_days
            # Refused as unused: would the legal guarantee still take it back if faulty?
            covered = not check.reason and not check.eligible_items
            if covered and _condition(tracker.get_slot(REASON)) == "sin_usar":
                faulty = check_return(session=session, order=order, condition="defectuoso")
                covered = faulty.eligible
            return order, check, window, covered

        try:
            found = await run_store(look_up)
        except StoreError as exc:
            return [*apologise_for_store(dispatcher, exc), *_end_form()]
        if found is None:
            ask_to_verify(dispatcher, "solicitar_devolucion")
            return _end_form()
        order, check, window, covered = found
        _explain(dispatcher, order, check, window)
        if not check.eligible_items:
            if covered:
                dispatcher.utter_message(response="utter_devolucion_garantia")
            return _end_form()
        dispatcher.utter_message(
            response="utter_ask_articulos_devolucion", buttons=_buttons(order, check.eligible_items)
        )
        return []


class ActionCrearDevolucion(Action):
    """Open the return: RMA code, refund, send-by date and how to send the parcel."""

    def name(self) -> str:
        return "action_crear_devolucion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reset = [SlotSet(ITEMS, None), SlotSet(REASON, None)]
        closing = unverified_outcome(dispatcher, tracker)
        if closing is not None:
            return [*closing, *reset]
        ids = [int(i) for i in re.findall(r"\d+", str(tracker.get_slot(ITEMS) or ""))]
        reason = str(tracker.get_slot(REASON) or NOTHING)
        if not ids or reason == NOTHING:
            dispatcher.utter_message(response="utter_devolucion_otra_ayuda")
            return reset

        try:
            order, check, created, policies = await run_store(
                lambda s: _open_return(s, tracker, ids, reason)
            )
        except (ActionNotAllowed, InvalidInput) as exc:
            log.warning("return not created for %s: %s", tracker.get_slot("pedido_verificado"), exc)
            dispatcher.utter_message(response="utter_devolucion_no_registrada")
            return reset
        except StoreError as exc:
            return [*apologise_for_store(dispatcher, exc), *reset]
        _explain(dispatcher, order, check, policies.return_window_days)  # what could not go back
        if created is None:
            dispatcher.utter_message(response="utter_devolucion_otra_ayuda")
            return reset
        dispatcher.utter_message(
            response="utter_devolucion_creada",
            rma=created.rma_code,
            numero_pedido=created.number,
            articulos=join_words(list(dict.fromkeys(created.items))),
            importe=euros(created.refund),
        )
        dispatcher.utter_message(
            response="utter_devolucion_instrucciones",
            rma=created.rma_code,
            fecha_envio=spanish_date(created.send_by, weekday=True),
            dias_reembolso=policies.refund_days,
        )
        dispatcher.utter_message(response="utter_pedir_valoracion")
        return reset


def _open_return(
    session: Session, tracker: Tracker, ids: list[int], reason: str
) -> tuple[Order, ReturnEligibility, ReturnCreated | None, Policies]:
    """Check the chosen items again and open the return for those that can still go back."""
    order = verified_order(session, tracker)
    if order is None:
        raise ActionNotAllowed("no_verificado")
    condition = _condition(reason)
    check = check_return(session=session, order=order, item_ids=ids, condition=condition)
    policies = get_policies(session=session)
    if check.reason or not check.eligible_items:
        return order, check, None, policies
    lines = [ReturnLine(i.item_id, i.returnable_quantity) for i in check.eligible_items]
    created = create_return(
        session=session, order=order, reason=reason, condition=condition, lines=lines
    )
    return order, check, created, policies


def _eligibility(session: Session, tracker: Tracker) -> tuple[Order, ReturnEligibility] | None:
    order = verified_order(session, tracker)
    if order is None:
        return None
    condition = _condition(tracker.get_slot(REASON))
    return order, check_return(session=session, order=order, condition=condition)


def _condition(reason: Any) -> str:
    return "defectuoso" if fold(str(reason or "")) in FAULTY else "sin_usar"


def _end_form() -> list[dict[str, Any]]:
    return [SlotSet(ITEMS, NOTHING), SlotSet(REASON, NOTHING), SlotSet("requested_slot", None)]


def _explain(
    dispatcher: CollectingDispatcher, order: Order, check: ReturnEligibility, window: int
) -> None:
    """Why the order, or each group of its items, cannot go back, in the store's own terms."""
    if check.reason:
        dispatcher.utter_message(
            response=_refusal(check.reason),
            numero_pedido=order.number,
            dias_devolucion=window,
        )
        return
    groups: dict[tuple[str, str], list[str]] = {}
    for item in check.items:
        if not item.eligible:
            groups.setdefault((item.reason or "", item.detail or ""), []).append(item.product_name)
    for (reason, detail), names in groups.items():
        extra: dict[str, Any] = {}
        if reason in ("fuera_de_plazo", "fuera_de_garantia"):
            extra["fecha_limite"] = spanish_date(date.fromisoformat(detail), year=True)
        elif reason == "categoria_no_retornable":
            extra["nota"] = detail if detail.endswith(".") else f"{detail}: no admite devolución."
        dispatcher.utter_message(
            response=_refusal(reason),
            articulos=join_words(list(dict.fromkeys(names))),
            **extra,
        )


def _refusal(reason: str) -> str:
    return f"utter_devolucion_{reason}" if reason in REFUSALS else "utter_devolucion_no_posible"


def _buttons(order: Order, items: Sequence[ItemEligibility]) -> list[dict[str, str]]:
    """One button per item (its name, plus size and colour when names repeat) and "Todos"."""
    lines = {line.item_id: line for line in order.lines}
    names = [item.product_name for item in items]
    buttons = []
    for item in items:
        repeated = names.count(item.product_name) > 1
        label = _describe(item, lines.get(item.item_id), detailed=repeated)
        units = f" (×{item.returnable_quantity})" if item.returnable_quantity > 1 else ""
        buttons.append({"title": f"{label}{units}", "payload": label})
    if len(items) > 1:
        buttons.append({"title": "Todos", "payload": "todos"})
    return buttons


def _describe(item: ItemEligibility, line: OrderLine | None, *, detailed: bool) -> str:
    """The item's name; ``detailed`` adds colour and size, which tell two of a name apart."""
    if not detailed or line is None:
        return item.product_name
    size = f"talla {line.size}" if line.size else None
    return " ".join(filter(None, (item.product_name, line.colour, size)))


def _match_items(text: str, items: Sequence[ItemEligibility], order: Order) -> list[int]:
    """The items the text names, described with colour and size so twins can be told apart."""
    lines = {line.item_id: line for line in order.lines}
    described = [
        (item.item_id, _describe(item, lines.get(item.item_id), detailed=True)) for item in items
    ]
    return match_items(text, described)
