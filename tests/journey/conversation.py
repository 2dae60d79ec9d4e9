"""Build Rasa events the way Rasa stores them, to script journey-log conversations in tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)

START = 1_795_000_000.0  # 2026-11-18, a fixed clock so timestamps are predictable


def says(
    text: str,
    intent: str,
    confidence: float = 0.93,
    entities: Iterable[tuple[str, str]] = (),
    second: tuple[str, float] = ("saludar", 0.03),
    retrieval: str | None = None,
) -> UserUttered:
    """The shopper's message as NLU parsed it."""
    parse: dict[str, Any] = {
        "intent": {"name": intent, "confidence": confidence},
        "entities": [{"entity": e, "value": v, "start": 0, "end": 0} for e, v in entities],
        "intent_ranking": [
            {"name": intent, "confidence": confidence},
            {"name": second[0], "confidence": second[1]},
        ],
        "text": text,
    }
    if retrieval:
        # As Rasa files it: one ResponseSelector for every FAQ topic, under "default".
        key = f"{intent}/{retrieval}"
        parse["response_selector"] = {
            "all_retrieval_intents": [intent],
            "default": {
                "response": {"intent_response_key": key, "confidence": 0.9},
                "ranking": [{"intent_response_key": key, "confidence": 0.9}],
            },
        }
    return UserUttered(text, parse_data=parse, input_channel="rest")


def answers(text: str, response: str | None = None, agent: str | None = None) -> BotUttered:
    metadata: dict[str, Any] = {}
    if response:
        metadata["utter_action"] = response
    if agent:
        metadata["agent"] = agent
    return BotUttered(text, metadata=metadata)


def runs(name: str) -> ActionExecuted:
    return ActionExecuted(name)


def sets(name: str, value: Any) -> SlotSet:
    return SlotSet(name, value)


def form(name: str | None) -> ActiveLoop:
    return ActiveLoop(name)


def paused() -> ConversationPaused:
    return ConversationPaused()


def session() -> list[Event]:
    """What Rasa logs before a new session's first message."""
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


def timed(*events: Event | list[Event], start: float = START, step: float = 0.5) -> list[Event]:
    """The events, flattened, each ``step`` seconds after the previous one."""
    flat: list[Event] = []
    for item in events:
        flat.extend(item if isinstance(item, list) else [item])
    for index, event in enumerate(flat):
        event.timestamp = start + index * step
    return flat


def stored(events: list[Event], first_id: int = 1) -> list[tuple[int, dict[str, Any]]]:
    """(Rasa events.id, event JSON) pairs, as the tracker store table holds them."""
    return [(first_id + i, event.as_dict()) for i, event in enumerate(events)]
