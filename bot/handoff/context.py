"""What a person needs to take over a conversation, read from Rasa's events and slots.

Pure functions of the tracker's events, so the action builds the packet and the tests check
it without a Rasa server. The stage comes from the same rules as the journey log
(``journey.yml``), so the agent sees the stage the analysts will see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from bot.journey.stages import JourneyMap
from bot.journey.timeline import PROBLEM_CODES, build_conversations, category_code
from bot.store.snapshots import OrderStatusSnapshot

NEW_SESSION_EVENTS = ("session_started", "restart")
# Slots that steer the dialogue but mean nothing to a person reading the case.
INTERNAL_SLOTS = frozenset({"requested_slot", "verificacion_interrumpida", "tarea"})
NOTHING_TO_REPORT = "ninguno"
SPEAKERS = {"shopper": "Cliente", "bot": "Ruta", "agent": "Agente"}


def current_session(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events since the conversation's last session start (Rasa keeps older sessions)."""
    start = 0
    for index, event in enumerate(events):
        if event.get("event") in NEW_SESSION_EVENTS:
            start = index
    return list(events[start:])


def conversation_stage(
    sender_id: str, events: Sequence[Mapping[str, Any]], journey: JourneyMap
) -> str | None:
    """The stage the conversation is in now, as the journey log records it (None: no stage yet)."""
    conversations = build_conversations(sender_id, enumerate(events, start=1), journey)
    return conversations[-1].current_stage if conversations else None


def intents_so_far(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """The shopper's intents in this session, in order, repeats in a row shown once."""
    intents: list[str] = []
    for event in events:
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name and (not intents or intents[-1] != name):
            intents.append(str(name))
    return intents


def useful_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The slots that say something about the case: set, not empty, not dialogue bookkeeping."""
    return {
        name: value
        for name, value in sorted(slots.items())
        if name not in INTERNAL_SLOTS and value not in (None, "", [], False, 0, 0.0)
    }


def problem(slots: Mapping[str, Any]) -> dict[str, str] | None:
    """The problem the shopper reported in the problem form, if they got that far.

    The category is the ticket code the form would keep ("danado"); a stray word the entity
    extractor put in the slot ("han") is not shown to the agent as a category.
    """
    raw = slots.get("tipo_problema")
    description = slots.get("descripcion_problema")
    if NOTHING_TO_REPORT in (raw, description):
        return None
    category = category_code(raw, PROBLEM_CODES["tipo_problema"])
    if not category and not description:
        return None
    return {"category": category or "", "description": str(description or "")}


def order_packet(number: str, snapshot: OrderStatusSnapshot | None) -> dict[str, Any]:
    estimated: date | None = snapshot.estimated_delivery if snapshot else None
    return {
        "number": number,
        "status": snapshot.status if snapshot else None,
        "shipment_status": snapshot.shipment_status if snapshot else None,
        "late": snapshot.is_late if snapshot else False,
        "estimated_delivery": estimated.isoformat() if estimated else None,
    }


def build_context(
    events: Sequence[Mapping[str, Any]],
    slots: Mapping[str, Any],
    *,
    order_number: str | None,
    snapshot: OrderStatusSnapshot | None,
    photos: Sequence[str],
) -> dict[str, Any]:
    """The context packet stored with the request and shown beside the transcript."""
    session = current_session(events)
    channel = next(
        (e.get("input_channel") for e in reversed(session) if e.get("event") == "user"), None
    )
    return {
        "intents": intents_so_far(session),
        "slots": useful_slots(slots),
        "order": order_packet(order_number, snapshot) if order_number else None,
        "problem": problem(slots),
        "photos": list(photos),
        "channel": channel,
    }


def transcript_lines(events: Sequence[Mapping[str, Any]]) -> list[str]:
    """This session as "Cliente: …" / "Ruta: …" lines, for a ticket a person reads later."""
    lines = []
    for event in current_session(events):
        text = str(event.get("text") or "").strip()
        if not text or event.get("event") not in ("user", "bot"):
            continue
        if event.get("event") == "user":
            speaker = "shopper"
        else:
            speaker = "agent" if (event.get("metadata") or {}).get("agent") else "bot"
        lines.append(f"{SPEAKERS[speaker]}: {text}")
    return lines


def fit_transcript(heading: str, lines: Sequence[str], limit: int) -> str:
    """``heading`` and as many of the latest ``lines`` as fit in ``limit`` characters."""
    kept: list[str] = []
    room = limit - len(heading) - 6  # the blank line and a "(…)" marker
    for line in reversed(lines):
        if len(line) + 1 > room:
            break
        kept.insert(0, line)
        room -= len(line) + 1
    if len(kept) < len(lines) and kept:
        kept.insert(0, "(…)")
    return "\n".join([heading, "", *kept]).strip()
