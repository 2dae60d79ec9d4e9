"""Handing a conversation to a person: record why, with the context, and tell the shopper.

The live console comes later; until then the request is recorded as a ticket
carrying the reason and what the shopper said, so a person can follow it up.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import MAX_VERIFICATION_ATTEMPTS, apologise_for_store, run_store, verified_order
from bot.store import StoreError, create_ticket, get_policies
from bot.store.records import TicketCreated

REASONS = {
    "pidio_persona": "El cliente pidió hablar con una persona.",
    "fallback_repetido": "El asistente no entendió al cliente dos veces seguidas.",
    "limite_verificacion": "El cliente agotó los intentos de verificar un pedido.",
    "problema_sin_resolver": "El asistente no pudo resolver el problema del cliente.",
}
TRANSCRIPT_MESSAGES = 10


def handoff_reason(tracker: Tracker) -> str:
    """Why this conversation goes to a person, from what happened in it."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "nlu_fallback":
        return "fallback_repetido"
    if float(tracker.get_slot("intentos_verificacion") or 0) >= MAX_VERIFICATION_ATTEMPTS:
        return "limite_verificacion"
    if intent == "hablar_con_humano":
        return "pidio_persona"
    return "problema_sin_resolver"


def _summary(tracker: Tracker, reason: str) -> str:
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    lines = [REASONS[reason], "", "Últimos mensajes del cliente:"]
    lines += [f"- {text}" for text in said[-TRANSCRIPT_MESSAGES:] if text.strip()]
    return "\n".join(lines)


async def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str | None = None
) -> list[dict[str, Any]]:
    """Record the handoff and tell the shopper what happens next (used by other actions too)."""
    reason = reason or handoff_reason(tracker)
    credential = str(tracker.get_slot("credencial") or "")

    def record(session: Session) -> tuple[TicketCreated, str]:
        ticket = create_ticket(
            session=session,
            category="otro",
            priority="alta" if reason != "pidio_persona" else "media",
            description=_summary(tracker, reason),
            order=verified_order(session, tracker),
            contact_email=credential if "@" in credential else None,
        )
        return ticket, get_policies(session=session).support_hours

    try:
        ticket, hours = await run_store(record)
    except StoreError as exc:
        return apologise_for_store(dispatcher, exc)
    dispatcher.utter_message(response="utter_handoff", ticket=ticket.number, horario=hours)
    return []


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await hand_off(dispatcher, tracker)
