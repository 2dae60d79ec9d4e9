"""Order verification: the number, then the email or postal code, at most three tries.

Every form that needs an order (verification, returns, problems) validates its
``numero_pedido`` and ``credencial`` here, so the rules are the same everywhere:
nothing about an order is said before it is verified, an unknown order and a
wrong credential get the same answer, and a verified order is not asked again.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import MAX_VERIFICATION_ATTEMPTS, run_store
from bot.store import InvalidInput, OrderNotVerified, StoreUnavailable, verify_order
from bot.store.normalize import normalize_email, normalize_order_number, normalize_postal_code

ORDER_SLOTS = ("numero_pedido", "credencial")


def task_after_verification(task: str | None) -> Action:
    """The action for the task that started verification (slot ``tarea``; default tracking)."""
    from actions.cancellation import ActionConsultarCancelacion
    from actions.refunds import ActionEstadoReembolso
    from actions.tracking import ActionRastrearPedido

    tasks: dict[str, type[Action]] = {
        "cancelar": ActionConsultarCancelacion,
        "reembolso": ActionEstadoReembolso,
    }
    return tasks.get(task or "", ActionRastrearPedido)()


def asked_for(tracker: Tracker, slot: str) -> bool:
    """Whether the form's last question was for ``slot``."""
    return tracker.get_slot("requested_slot") == slot


def earlier_value(tracker: Tracker, slot: str) -> Any:
    """``slot``'s value before the shopper's latest message, before any new candidate for it."""
    value = before = None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "user":
            before = value
        elif kind == "slot" and event.get("name") == slot:
            value = event.get("value")
        elif kind in ("restart", "session_started", "reset_slots"):
            value = None
    return before


def refuse(
    slot: str,
    value: Any,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    response: str | None = None,
) -> dict[str, Any]:
    """Drop ``value`` for ``slot``, which does not validate; ``response`` only if it was asked.

    The NLU finds reasons and problems in ordinary words ("no me", "han"): a stray value for
    a slot the form has not asked about yet is dropped in silence, and what the shopper said
    before stands. Only an answer to the form's question hears that it was not understood.
    """
    if not asked_for(tracker, slot):
        earlier = earlier_value(tracker, slot)  # the stray value itself when a form starts
        return {slot: None if earlier == value else earlier}
    if response:
        dispatcher.utter_message(response=response)
    return {slot: None}


def _blocked(tracker: Tracker) -> bool:
    return float(tracker.get_slot("intentos_verificacion") or 0) >= MAX_VERIFICATION_ATTEMPTS


class OrderFormValidation(FormValidationAction):
    """Shared validation of the order slots; subclasses add their own slots."""

    @abstractmethod
    def name(self) -> str: ...

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Skip the order slots once verified; ask nothing once verification was interrupted."""
        verified = tracker.get_slot("pedido_verificado")
        if tracker.get_slot("verificacion_interrumpida") or (_blocked(tracker) and not verified):
            return []
        if verified and tracker.get_slot("numero_pedido") in (None, verified):
            return [slot for slot in domain_slots if slot not in ORDER_SLOTS]
        return domain_slots

    def validate_numero_pedido(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _blocked(tracker):
            dispatcher.utter_message(response="utter_verificacion_bloqueada")
            return {"numero_pedido": None, "verificacion_interrumpida": True}
        text = str(value or "")
        try:
            number = normalize_order_number(text)
        except InvalidInput:
            # "vale", "ok", "gracias" are no attempt at a number: the form's question, asked
            # again, says where to find it. Digits in the wrong shape get the format explained.
            typed_digits = any(ch.isdigit() for ch in text)
            response = "utter_numero_pedido_invalido" if typed_digits else None
            return refuse("numero_pedido", value, dispatcher, tracker, response)
        if number == tracker.get_slot("pedido_verificado"):
            return {"numero_pedido": number}
        # A different order than the one verified needs its own proof.
        return {"numero_pedido": number, "pedido_verificado": None}

    async def validate_credencial(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        try:
            credential = normalize_email(text) if "@" in text else normalize_postal_code(text)
        except InvalidInput:
            return refuse("credencial", value, dispatcher, tracker, "utter_credencial_invalida")
        number = tracker.get_slot("numero_pedido")
        if not number:
            return {"credencial": credential}
        key = "email" if "@" in credential else "postal_code"
        try:
            order = await run_store(
                lambda session: verify_order(session=session, number=number, **{key: credential})
            )
        except OrderNotVerified:
            return self._failed_attempt(dispatcher, tracker)
        except StoreUnavailable:
            dispatcher.utter_message(response="utter_error_tienda")
            return {"credencial": None, "verificacion_interrumpida": True}
        dispatcher.utter_message(
            response="utter_pedido_verificado", cliente=order.first_name, numero_pedido=order.number
        )
        return {
            "credencial": credential,
            "pedido_verificado": order.number,
            "estado_pedido": order.status,
        }

    def _failed_attempt(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        attempts = float(tracker.get_slot("intentos_verificacion") or 0) + 1
        if attempts >= MAX_VERIFICATION_ATTEMPTS:
            dispatcher.utter_message(response="utter_verificacion_bloqueada")
            return {
                "numero_pedido": None,
                "credencial": None,
                "intentos_verificacion": attempts,
                "verificacion_interrumpida": True,
            }
        dispatcher.utter_message(response="utter_pedido_no_encontrado")
        return {"numero_pedido": None, "credencial": None, "intentos_verificacion": attempts}


class ValidateFormVerificacion(OrderFormValidation):
    def name(self) -> str:
        return "validate_form_verificacion"


def unverified_outcome(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """Events that close a form which ended without a verified order; None when it has one.

    A shopper already out of attempts who starts another order flow is told why at once.
    """
    interrupted = bool(tracker.get_slot("verificacion_interrumpida"))
    if tracker.get_slot("pedido_verificado") and not interrupted:
        return None
    if _blocked(tracker) and not interrupted:
        dispatcher.utter_message(response="utter_verificacion_bloqueada")
    return [SlotSet("verificacion_interrumpida", False)]


class ActionTrasVerificacion(Action):
    """After the verification form: run the task that started it, or close an interrupted one.

    The task runs inside this action rather than as a FollowupAction, so the dialogue
    policies never have to predict what follows an action no rule mentions.
    """

    def name(self) -> str:
        return "action_tras_verificacion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        closing = unverified_outcome(dispatcher, tracker)
        if closing is not None:
            return closing
        task = task_after_verification(tracker.get_slot("tarea"))
        return list(await task.run(dispatcher, tracker, domain))
