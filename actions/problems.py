"""Problem reports: what went wrong with a verified order, in the shopper's words, as a ticket.

Only problems that fit the order's state are offered and accepted: a delivered parcel can arrive
damaged, wrong or incomplete; one on its way can be late or lost; one still in the warehouse has
nothing to report yet, so the form ends with a way to track or cancel it instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import (
    STATUS_WORDS,
    apologise_for_store,
    run_store,
    spanish_date,
    verified_order,
)
from actions.verification import (
    OrderFormValidation,
    asked_for,
    earlier_value,
    refuse,
    unverified_outcome,
)
from bot.handoff.uploads import link_uploads
from bot.store import StoreError, create_ticket, tracking_timeline
from bot.store.normalize import clean_text, fold
from bot.store.records import ShipmentTrack, TicketCreated, Timeline
from bot.store.tickets import MAX_DESCRIPTION

NO_PROBLEM = "ninguno"  # fills the form when there is nothing to report, so it completes
STATUS_GROUP = {"entregado": "entregado", "enviado": "en_camino", "en_reparto": "en_camino"}
PROBLEMS = {
    "entregado": ("danado", "incorrecto", "incompleto"),
    "en_camino": ("retraso", "perdido"),
}
NOT_SHIPPED = ("pendiente_pago", "pagado", "preparando")
PROBLEM_WORDS = {
    "danado": "dañado",
    "incorrecto": "artículo equivocado",
    "incompleto": "incompleto",
    "retraso": "retraso",
    "perdido": "perdido",
}
_ALIASES = {
    "roto": "danado",
    "rota": "danado",
    "estropeado": "danado",
    "equivocado": "incorrecto",
    "falta": "incompleto",
    "retrasado": "retraso",
    "atrasado": "retraso",
    "extraviado": "perdido",
}
# Acknowledgements and fillers: on their own they tell the team nothing about what happened.
FILLERS = frozenset({
    "vale", "ok", "okay", "oki", "si", "no", "se", "gracias", "nada", "hola", "bueno", "pues",
    "ya", "claro", "perfecto", "genial", "de", "acuerdo", "eso", "esto", "nose",
})  # fmt: skip
MIN_LETTERS = 3
STEP_RESPONSES = {
    "reposicion_o_reembolso": "utter_ticket_reposicion_o_reembolso",
    "reposicion": "utter_ticket_reposicion",
    "envio_pendiente": "utter_ticket_envio_pendiente",
}


def _problem_code(value: Any) -> str | None:
    """The store's category for what the shopper said or clicked ("Dañado" is ``danado``)."""
    code = fold(str(value or "")).strip().replace(" ", "_")
    code = _ALIASES.get(code, code)
    return code if code in PROBLEM_WORDS else None


def says_something(text: str) -> bool:
    """Whether a description has words in it: "llegó roto" does; "2", "?", "ok" or 👍 do not."""
    words = re.findall(r"[^\W\d_]+", fold(text))
    return sum(map(len, words)) >= MIN_LETTERS and not set(words) <= FILLERS


def _form_status(tracker: Tracker) -> str | None:
    """The verified order's status, if the order in the form is the verified one."""
    verified = tracker.get_slot("pedido_verificado")
    if not verified or tracker.get_slot("numero_pedido") not in (None, verified):
        return None
    return tracker.get_slot("estado_pedido") or None


def _fitting_problem(
    dispatcher: CollectingDispatcher, code: str, status: str, number: str
) -> str | None:
    """``code`` if it can happen to an order in ``status``; otherwise say why (when it helps)."""
    group = STATUS_GROUP.get(status)
    if group is None:
        return None  # nothing shipped: the question that follows explains
    if code in PROBLEMS[group]:
        return code
    dispatcher.utter_message(
        response=f"utter_problema_no_encaja_{group}",
        numero_pedido=number,
        problema=PROBLEM_WORDS[code],
    )
    return None


class ValidateFormProblema(OrderFormValidation):
    """The order first (shared rules), then the kind of problem and what happened."""

    def name(self) -> str:
        return "validate_form_problema"

    async def validate_credencial(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Once verified, a problem named in the first message is checked against the order."""
        result = await super().validate_credencial(value, dispatcher, tracker, domain)
        problem = tracker.get_slot("tipo_problema")
        pending = "tipo_problema" not in tracker.slots_to_validate()
        if result.get("pedido_verificado") and problem and pending:
            code = _problem_code(problem)
            result["tipo_problema"] = code and _fitting_problem(
                dispatcher, code, result["estado_pedido"], result["pedido_verificado"]
            )
        return result

    def validate_tipo_problema(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code = _problem_code(value)
        if code is None:  # "no", "han": words the NLU took for a problem; the buttons ask again
            return refuse("tipo_problema", value, dispatcher, tracker)
        status = _form_status(tracker)
        if status is None:
            return {"tipo_problema": code}  # unverified yet: checked once the order is
        earlier = earlier_value(tracker, "tipo_problema")
        fits = code in PROBLEMS.get(STATUS_GROUP.get(status, ""), ())
        if earlier not in (None, code) and not fits and not asked_for(tracker, "tipo_problema"):
            return {"tipo_problema": earlier}  # a stray word in a later answer changes nothing
        number = tracker.get_slot("pedido_verificado")
        return {"tipo_problema": _fitting_problem(dispatcher, code, status, number)}

    def validate_descripcion_problema(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any real description, however short; not "2", "ok" or an emoji, which say nothing."""
        text = clean_text(str(value or ""), limit=MAX_DESCRIPTION)
        if not says_something(text):
            return refuse(
                "descripcion_problema",
                value,
                dispatcher,
                tracker,
                "utter_descripcion_problema_vacia",
            )
        return {"descripcion_problema": text}


def _nothing_to_report() -> list[dict[str, Any]]:
    return [
        SlotSet("tipo_problema", NO_PROBLEM),
        SlotSet("descripcion_problema", NO_PROBLEM),
        SlotSet("requested_slot", None),
    ]


class ActionAskTipoProblema(Action):
    """Offers the problems the order's current state allows, or ends the form when none do."""

    def name(self) -> str:
        return "action_ask_tipo_problema"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            order = await run_store(lambda session: verified_order(session, tracker))
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc) + _nothing_to_report()
        if order is None:
            dispatcher.utter_message(response="utter_problema_sin_pedido")
            return _nothing_to_report()
        group = STATUS_GROUP.get(order.status)
        if group is not None:
            dispatcher.utter_message(response=f"utter_ask_tipo_problema_{group}")
            return [SlotSet("estado_pedido", order.status)]
        response = (
            "utter_problema_sin_envio"
            if order.status in NOT_SHIPPED
            else "utter_problema_pedido_cerrado"
        )
        dispatcher.utter_message(
            response=response,
            numero_pedido=order.number,
            estado=STATUS_WORDS.get(order.status, order.status),
        )
        return [SlotSet("estado_pedido", order.status), *_nothing_to_report()]


@dataclass(frozen=True)
class _Opened:
    number: str
    ticket: TicketCreated
    shipment: ShipmentTrack | None


def _parcel(timeline: Timeline) -> ShipmentTrack | None:
    """The parcel the claim is about: a late one first, then any not yet delivered."""
    waiting = [s for s in timeline.shipments if s.delivered_at is None]
    late = [s for s in waiting if s.is_late]
    return next(iter(late or waiting or timeline.shipments[-1:]), None)


def _open_ticket(session: Session, tracker: Tracker, problem: str, text: str) -> _Opened | None:
    order = verified_order(session, tracker)
    if order is None:
        return None
    ticket = create_ticket(
        session=session,
        category=problem,
        description=text,
        order=order,
        conversation_id=tracker.sender_id,
    )
    link_uploads(session, tracker.sender_id, ticket.number)  # the photo of the broken item
    shipment = None
    if ticket.next_step == "reclamacion_transportista":
        shipment = _parcel(tracking_timeline(session=session, order=order))
    return _Opened(order.number, ticket, shipment)


def _reset() -> list[dict[str, Any]]:
    return [SlotSet("tipo_problema", None), SlotSet("descripcion_problema", None)]


class ActionCrearTicket(Action):
    """Opens the ticket and promises the concrete next step for that kind of problem.

    When the form ended with nothing to report, the question before it already told the
    shopper why, so this closes the form without a second message.
    """

    def name(self) -> str:
        return "action_crear_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        closing = unverified_outcome(dispatcher, tracker)
        if closing is not None:
            return closing + _reset()
        problem = tracker.get_slot("tipo_problema")
        text = tracker.get_slot("descripcion_problema")
        if not problem or not text or NO_PROBLEM in (problem, text):
            return _reset()
        try:
            opened = await run_store(
                lambda session: _open_ticket(session, tracker, str(problem), str(text))
            )
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc) + _reset()
        if opened is None:
            dispatcher.utter_message(response="utter_problema_sin_pedido")
            return _reset()
        _promise_next_step(dispatcher, opened)
        dispatcher.utter_message(response="utter_pedir_valoracion")
        return _reset()


def _promise_next_step(dispatcher: CollectingDispatcher, opened: _Opened) -> None:
    ticket, shipment = opened.ticket, opened.shipment
    details: dict[str, Any] = {"ticket": ticket.number, "numero_pedido": opened.number}
    if ticket.next_step == "reclamacion_transportista" and shipment is not None:
        late = shipment.is_late and shipment.delivered_at is None
        dispatcher.utter_message(
            response="utter_ticket_retraso" if late else "utter_ticket_reclamacion_transportista",
            transportista=shipment.carrier,
            fecha_estimada=spanish_date(shipment.estimated_delivery, weekday=True),
            **details,
        )
        return
    response = STEP_RESPONSES.get(ticket.next_step, "utter_ticket_creado")
    dispatcher.utter_message(response=response, **details)
