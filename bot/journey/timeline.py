"""Rasa's events for one sender, turned into journey-log conversations and turns.

A pure function of the events, so the live broker and a replay after a restart produce
exactly the same rows: the writer inserts only turns whose Rasa event id it has not
stored yet. A conversation is one Rasa session; ``session_started`` or ``restart``
begins the next one, and the previous one has then ended.

Rasa logs the slots it fills from the message's entities right after the ``user`` event,
before any ``action`` event; a form logs its validated values after its own ``action``
event. Only the latter are problem categories: the NLU takes ordinary words ("no", "han")
for a return reason, and the form's validator refuses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.journey.masking import mask
from bot.journey.outcome import (
    FALLBACK_ACTIONS,
    HANDOFF_ACTIONS,
    OutcomeFacts,
    answers,
    decide_outcome,
)
from bot.journey.stages import JourneyMap
from bot.retrieval import answer_key
from bot.store.models import RETURN_REASONS, TICKET_CATEGORIES
from bot.store.normalize import fold

FALLBACK_INTENT = "nlu_fallback"
NEW_SESSION_EVENTS = frozenset({"session_started", "restart"})
IGNORED_ACTIONS = frozenset({"action_listen", "action_session_start"})
# Response variables that carry the customer's own data (actions/verification.py greets the
# shopper by name): their values are replaced in the bot's text before it is logged.
PERSONAL_VARIABLES = {"cliente": "[nombre]"}
# Slots whose value is the problem category the pain-point analysis groups by, with the codes
# their forms keep: the store's ticket categories and return reasons, which it validates against.
PROBLEM_CODES = {
    "tipo_problema": frozenset(TICKET_CATEGORIES),
    "motivo_devolucion": frozenset(RETURN_REASONS),
}


@dataclass
class TurnRecord:
    event_id: int
    turn: int
    timestamp: datetime
    speaker: str  # shopper | bot | agent
    text: str | None
    stage: str | None
    intent: str | None = None
    confidence: float | None = None
    second_intent: str | None = None
    second_confidence: float | None = None
    entities: list[dict[str, str]] = field(default_factory=list)
    action: str | None = None
    fallback: bool = False
    handoff: bool = False
    latency_ms: int | None = None


@dataclass
class ConversationRecord:
    sender_id: str
    first_event_id: int
    last_event_id: int
    started_at: datetime
    last_activity_at: datetime
    channel: str | None = None
    turns: list[TurnRecord] = field(default_factory=list)
    stage_path: list[str] = field(default_factory=list)
    current_stage: str | None = None
    csat: int | None = None
    verified_order: str | None = None  # raw number: the writer stores only its hash
    request_intent: str | None = None  # the last shopper intent that had a stage of its own
    problem_category: str | None = None  # the last problem type or return reason a form kept
    facts: OutcomeFacts = field(default_factory=OutcomeFacts)
    ended: bool = False  # a later session of the same sender has started

    @property
    def conversation_id(self) -> str:
        return f"{self.sender_id}/{self.first_event_id}"

    @property
    def pending_outcome(self) -> str:
        return decide_outcome(self.facts)

    @property
    def fallback_turns(self) -> int:
        return sum(t.fallback for t in self.turns if t.speaker == "shopper")

    @property
    def handoff(self) -> bool:
        return self.facts.handed_off


def _time(event: Mapping[str, Any]) -> datetime:
    """Naive UTC, like every other time in the database."""
    stamp = float(event.get("timestamp") or 0)
    return datetime.fromtimestamp(stamp, tz=timezone.utc).replace(tzinfo=None)


def _csat(value: Any) -> int | None:
    try:
        score = int(float(value))
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


class _Builder:
    """Walks one sender's events in order, keeping the state each turn needs."""

    def __init__(self, sender_id: str, journey: JourneyMap) -> None:
        self.sender_id = sender_id
        self.journey = journey
        self.conversations: list[ConversationRecord] = []
        self.current: ConversationRecord | None = None
        self.slots: dict[str, Any] = {}
        self.active_loop: str | None = None
        self.last_action: str | None = None
        self.last_user_at: datetime | None = None
        self.last_response: str | None = None  # what the bot's latest message came from
        self.extracting = False  # between a user event and the next action: NLU's slot filling
        self.categories: dict[str, str] = {}  # problem slot → the code its form kept, in order

    def conversation(self, event_id: int, at: datetime) -> ConversationRecord:
        if self.current is None:
            self.current = ConversationRecord(self.sender_id, event_id, event_id, at, at)
            self.conversations.append(self.current)
        return self.current

    def new_session(self) -> None:
        if self.current is not None:
            self.current.ended = True
        self.current = None
        self.slots = {}
        self.active_loop = None
        self.last_action = None
        self.last_user_at = None
        self.last_response = None
        self.extracting = False
        self.categories = {}

    def add(self, event_id: int, event: Mapping[str, Any]) -> None:
        kind = event.get("event")
        at = _time(event)
        if kind in NEW_SESSION_EVENTS:
            self.new_session()
            self.conversation(event_id, at)
            return
        if kind == "action" and event.get("name") in IGNORED_ACTIONS:
            if self.current is not None:
                self.current.last_event_id = event_id
            return
        conversation = self.conversation(event_id, at)
        conversation.last_event_id = event_id
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(conversation, event_id, event, at)

    def _on_user(
        self,
        conversation: ConversationRecord,
        event_id: int,
        event: Mapping[str, Any],
        at: datetime,
    ) -> None:
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != intent]
        entities = [
            {"entity": str(e.get("entity")), "value": mask(str(e.get("value")))}
            for e in parse.get("entities") or []
        ]
        by_name: dict[str, list[str]] = {}
        for e in parse.get("entities") or []:
            by_name.setdefault(str(e.get("entity")), []).append(str(e.get("value")))
        stage = self.journey.stage_for(
            _full_intent(intent, parse), by_name, self.slots, replying_to=self.last_response
        )
        if stage is not None:
            conversation.facts.unanswered_request = True
            conversation.request_intent = intent
            self._enter(conversation, stage)
        self.extracting = True
        conversation.channel = conversation.channel or event.get("input_channel")
        self._turn(
            conversation,
            TurnRecord(
                event_id=event_id,
                turn=0,
                timestamp=at,
                speaker="shopper",
                text=mask(event.get("text") or ""),
                stage=conversation.current_stage,
                intent=intent,
                confidence=(parse.get("intent") or {}).get("confidence"),
                second_intent=ranking[0].get("name") if ranking else None,
                second_confidence=ranking[0].get("confidence") if ranking else None,
                entities=entities,
                fallback=intent == FALLBACK_INTENT,
            ),
        )
        self.last_user_at = at

    def _on_bot(
        self,
        conversation: ConversationRecord,
        event_id: int,
        event: Mapping[str, Any],
        at: datetime,
    ) -> None:
        data = event.get("data") or {}
        if not (event.get("text") or data.get("image") or data.get("attachment")):
            return  # a payload for the gateway (``{"handoff": ...}``), not something said
        metadata = event.get("metadata") or {}
        response = metadata.get("utter_action")
        agent = metadata.get("agent")
        self.last_response = response if agent is None else None
        fallback = self.last_action in FALLBACK_ACTIONS
        if agent is None:
            if answers(self.last_action, response):
                conversation.facts.answered()
            conversation.facts.ended_on_fallback = fallback
        text = mask(event.get("text") or "")
        for variable, placeholder in PERSONAL_VARIABLES.items():
            value = metadata.get(variable)
            if isinstance(value, str) and value.strip():
                text = text.replace(value, placeholder)
        latency = None
        if self.last_user_at is not None:
            latency = max(0, round((at - self.last_user_at).total_seconds() * 1000))
        self._turn(
            conversation,
            TurnRecord(
                event_id=event_id,
                turn=0,
                timestamp=at,
                speaker="agent" if agent is not None else "bot",
                text=text,
                stage=conversation.current_stage,
                action=response or self.last_action,
                fallback=agent is None and fallback,
                handoff=self.last_action in HANDOFF_ACTIONS,
                latency_ms=latency,
            ),
        )

    def _on_action(
        self, conversation: ConversationRecord, _id: int, event: Mapping[str, Any], _at: datetime
    ) -> None:
        self.last_action = event.get("name")
        self.extracting = False
        if self.last_action in HANDOFF_ACTIONS:
            conversation.facts.handed_off = True

    def _on_pause(self, conversation: ConversationRecord, *_: Any) -> None:
        conversation.facts.handed_off = True

    def _on_slot(
        self, conversation: ConversationRecord, _id: int, event: Mapping[str, Any], _at: datetime
    ) -> None:
        name, value = event.get("name"), event.get("value")
        self.slots[str(name)] = value
        if name in PROBLEM_CODES and not self.extracting:
            self._problem(conversation, str(name), value)
        if name == "valoracion" and _csat(value) is not None:
            conversation.csat = _csat(value)
        # The verification form stores the verified order's number in ``pedido_verificado``.
        if name == "pedido_verificado" and value and conversation.verified_order is None:
            conversation.verified_order = str(value)

    def _on_active_loop(
        self, conversation: ConversationRecord, _id: int, event: Mapping[str, Any], _at: datetime
    ) -> None:
        self.active_loop = event.get("name")
        conversation.facts.open_form = self.active_loop is not None

    def _problem(self, conversation: ConversationRecord, slot: str, value: Any) -> None:
        """A code the form keeps becomes the category; a value the form refuses (None, or what
        it could not read) withdraws that slot's earlier code. A custom action that empties the
        slot after the flow is done (the ticket is open) leaves the category as it was."""
        code = category_code(value, PROBLEM_CODES[slot])
        if code is not None:
            self.categories.pop(slot, None)
            self.categories[slot] = code
        elif self.last_action is not None and self.last_action == self.active_loop:
            self.categories.pop(slot, None)
        conversation.problem_category = next(reversed(self.categories.values()), None)

    def _enter(self, conversation: ConversationRecord, stage: str) -> None:
        conversation.current_stage = stage
        if not conversation.stage_path or conversation.stage_path[-1] != stage:
            conversation.stage_path.append(stage)

    def _turn(self, conversation: ConversationRecord, turn: TurnRecord) -> None:
        turn.turn = len(conversation.turns) + 1
        conversation.turns.append(turn)
        conversation.last_activity_at = turn.timestamp


def category_code(value: Any, codes: frozenset[str]) -> str | None:
    """The value as one of ``codes`` ("Dañado" → "danado"), or None ("ninguno", free text)."""
    if not isinstance(value, str):
        return None
    code = fold(value.strip()).replace(" ", "_")
    return code if code in codes else None


def _full_intent(intent: str | None, parse: Mapping[str, Any]) -> str | None:
    """``consultar_envio/plazos``: the FAQ answer the bot gave for the intent, if any."""
    return answer_key(parse, intent or "") or intent


def build_conversations(
    sender_id: str,
    events: Iterable[tuple[int, Mapping[str, Any]]],
    journey: JourneyMap,
) -> list[ConversationRecord]:
    """The sender's conversations, in order, each with its turns and outcome facts.

    Shopper turns that come before the first turn with a stage ("hola") take the
    conversation's first stage once it is known; conversations without turns are dropped.
    """
    builder = _Builder(sender_id, journey)
    for event_id, event in events:
        builder.add(event_id, event)
    conversations = [c for c in builder.conversations if c.turns]
    for conversation in conversations:
        first = conversation.stage_path[0] if conversation.stage_path else None
        for turn in conversation.turns:
            if turn.stage is not None:
                break
            turn.stage = first
    return conversations
