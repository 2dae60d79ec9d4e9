"""A LinearIntentBlend trained and loaded the way Rasa does, on a handful of examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_intents import LinearIntentBlend


def trained_blend(
    directory: Path,
    examples: dict[str, list[str]],
    lookup_tables: list[dict[str, Any]] | None = None,
) -> LinearIntentBlend:
    """Train on ``examples`` (intent → texts), store in ``directory``, load it back."""
    storage = LocalModelStorage(directory)
    resource = Resource("linear_intent_blend")
    data = TrainingData(
        training_examples=[
            Message(data={TEXT: text, INTENT: intent})
            for intent, texts in examples.items()
            for text in texts
        ],
        lookup_tables=lookup_tables or [],
    )
    LinearIntentBlend.create({}, storage, resource, None).train(data)  # type: ignore[arg-type]
    return LinearIntentBlend.load({}, storage, resource, None)  # type: ignore[arg-type]
