"""A trained component's one JSON file in Rasa's model storage: written by train, read by load."""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def write_json(model_storage: ModelStorage, resource: Resource, name: str, data: Any) -> None:
    with model_storage.write_to(resource) as directory:
        (directory / name).write_text(json.dumps(data), encoding="utf-8")


def read_json(model_storage: ModelStorage, resource: Resource, name: str) -> Any | None:
    """What ``write_json`` saved; None for a component that was never trained."""
    try:
        with model_storage.read_from(resource) as directory:
            return json.loads((directory / name).read_text(encoding="utf-8"))
    except (ValueError, FileNotFoundError):
        return None
