"""Which FAQ answer the ResponseSelector gives a message, read one way by the bot and the log.

One selector ranks the answers of every FAQ topic, and Rasa files its pick under ``default``.
When its best answer belongs to another topic than the intent ("¿hay que pagar aduana?": the
intent says shipping, the selector payment methods), the best-ranked answer of the intent's own
topic is the one given: on 5 folds of the FAQ examples (2026-11-25) it was the right answer in
26 of the 37 such cases, the intent taken as right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def topic(key: str) -> str:
    """``consultar_envio/costes`` → consultar_envio; "" for a key without a sub-intent."""
    return key.split("/", 1)[0] if "/" in key else ""


def _selection(parse: Mapping[str, Any], intent: str) -> Mapping[str, Any]:
    selector = parse.get("response_selector") or {}
    return selector.get(intent) or selector.get("default") or {}


def top_answer(parse: Mapping[str, Any], intent: str) -> str:
    """The selector's first pick, whatever its topic ("" when it picked nothing)."""
    return str((_selection(parse, intent).get("response") or {}).get("intent_response_key") or "")


def answer_key(parse: Mapping[str, Any], intent: str) -> str | None:
    """``consultar_envio/plazos``: the best-ranked answer within ``intent``'s topic, or None."""
    selection = _selection(parse, intent)
    entries = [selection.get("response") or {}, *(selection.get("ranking") or [])]
    keys = (str(entry.get("intent_response_key") or "") for entry in entries)
    return next((key for key in keys if key and topic(key) == intent), None)
