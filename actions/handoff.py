"""Handing a conversation to a person: the console's queue, or a ticket when nobody can answer.

In agent hours with an agent online the request waits in the console's queue with its reason,
stage and context, the shopper is told the expected wait and the bot pauses until the agent
hands back. Otherwise the shopper hears honestly when people answer and the conversation becomes
a ticket with its transcript and photos: never a promise nobody is there to keep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import MAX_VERIFICATION_ATTEMPTS, apologise_for_store, run_store, verified_order
from bot.config import Settings, get_settings
from bot.handoff.context import build_context, conversation_stage, fit_transcript, transcript_lines
from bot.handoff.hours import AgentHours, AgentHoursError, parse_agent_hours
from bot.handoff.queue import agents_online, expected_wait_minutes, open_handoff, to_ticket
from bot.handoff.uploads import link_uploads, session_uploads
from bot.journey.stages import JourneyMap, load_journey
from bot.store import StoreError, create_ticket, get_policies
from bot.store.models import TICKET_CATEGORIES
from bot.store.snapshots import order_status_snapshot
from bot.store.tickets import MAX_DESCRIPTION

log = logging.getLogger(__name__)

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


@lru_cache(maxsize=1)
def _journey() -> JourneyMap:
    return load_journey()


def agent_hours(settings: Settings) -> AgentHours | None:
    """The configured hours; a setting that cannot be read sends shoppers to tickets, logged."""
    try:
        return parse_agent_hours(settings.agent_hours, settings.agent_timezone)
    except AgentHoursError as exc:
        log.error("handoffs go to tickets until AGENT_HOURS is fixed: %s", exc)
        return None


@dataclass(frozen=True)
class Queued:
    """An agent will take it: the request id and the wait the shopper is told."""

    handoff_id: int
    minutes: int


@dataclass(frozen=True)
class Ticketed:
    """Nobody can take it now: the ticket, and whether it is outside hours or nobody is online."""

    ticket: str
    in_hours: bool
    hours: str


def _summary(tracker: Tracker, reason: str) -> str:
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    lines = [REASONS[reason], "", "Últimos mensajes del cliente:"]
    lines += [f"- {text}" for text in said[-TRANSCRIPT_MESSAGES:] if text.strip()]
    return "\n".join(lines)


def _category(tracker: Tracker) -> str:
    problem = str(tracker.get_slot("tipo_problema") or "")
    return problem if problem in TICKET_CATEGORIES else "otro"


def _record(
    session: Session, tracker: Tracker, reason: str, hours: AgentHours | None
) -> Queued | Ticketed:
    order = verified_order(session, tracker)
    snapshot = order_status_snapshot(session=session, number=order.number) if order else None
    photos = [upload.token for upload in session_uploads(session, tracker.sender_id)]
    context = build_context(
        tracker.events,
        tracker.slots,
        order_number=order.number if order else None,
        snapshot=snapshot,
        photos=photos,
    )
    handoff = open_handoff(
        session,
        sender_id=tracker.sender_id,
        reason=reason,
        stage=conversation_stage(tracker.sender_id, tracker.events, _journey()),
        summary=_summary(tracker, reason),
        context=context,
    )
    in_hours = hours is not None and hours.open_at()
    if handoff.status != "en_cola" or (in_hours and agents_online(session) > 0):
        return Queued(handoff.id, expected_wait_minutes(session, handoff))
    credential = str(tracker.get_slot("credencial") or "")
    ticket = create_ticket(
        session=session,
        category=_category(tracker),
        priority="alta" if reason != "pidio_persona" else "media",
        description=fit_transcript(
            f"{REASONS[reason]}\nConversación:", transcript_lines(tracker.events), MAX_DESCRIPTION
        ),
        order=order,
        contact_email=credential if "@" in credential else None,
        conversation_id=tracker.sender_id,
    )
    to_ticket(session, handoff, ticket.number)
    link_uploads(session, tracker.sender_id, ticket.number)
    described = hours.describe() if hours else get_policies(session=session).support_hours
    return Ticketed(ticket.number, in_hours, described)


def _minutes(count: int) -> str:
    return "1 minuto" if count == 1 else f"{count} minutos"


async def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str | None = None
) -> list[dict[str, Any]]:
    """Queue the conversation for a person, or open a ticket; used by other actions too."""
    reason = reason or handoff_reason(tracker)
    hours = agent_hours(get_settings())
    try:
        outcome = await run_store(lambda session: _record(session, tracker, reason, hours))
    except StoreError as exc:
        return apologise_for_store(dispatcher, exc)
    if isinstance(outcome, Queued):
        dispatcher.utter_message(response="utter_handoff_en_cola", espera=_minutes(outcome.minutes))
        # Not for the shopper: the gateway strips it and tells the consoles at once.
        dispatcher.utter_message(json_message={"handoff": {"id": outcome.handoff_id}})
        return [ConversationPaused()]
    response = "utter_handoff_sin_agentes" if outcome.in_hours else "utter_handoff_fuera_de_horario"
    dispatcher.utter_message(response=response, ticket=outcome.ticket, horario=outcome.hours)
    return []


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await hand_off(dispatcher, tracker)
