"""Which of an order's items a shopper's words name: "la falda plisada y la chaqueta", "todos"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.store.normalize import fold

ALL_ITEMS = re.compile(r"\b(todos?|todas|ambos|ambas|(los|las) (dos|tres|cuatro))\b")
STOP_WORDS = {
    "los", "las", "del", "con", "sin", "una", "unos", "unas", "por", "para", "que", "quiero",
    "devolver", "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas", "solo", "talla",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return {
        word
        for word in re.findall(r"[a-z0-9]+", fold(text))
        if word not in STOP_WORDS and (len(word) >= 3 or word.isdigit())
    }


def _stem(word: str) -> str:
    """Drop a plural ``s`` and a final vowel, so gender and number meet: blancas, blanco → blanc."""
    if len(word) > 4 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "aeo":
        word = word[:-1]
    return word


def _same(a: str, b: str) -> bool:
    """Accent-blind, and singular meets plural: "botín" finds "Botines", "gafa" finds "Gafas"."""
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 4:
        return a == b
    a, b = _stem(a), _stem(b)
    return a.startswith(b) or b.startswith(a)


def match_items(text: str, items: Sequence[tuple[int, str]]) -> list[int]:
    """Ids of the ``(id, description)`` items that ``text`` names; all of them for "todos".

    An item is dropped when every word it matched names another item more precisely, so
    "zapatillas trail" picks the trail pair, not every pair of zapatillas.
    """
    said = _words(text)
    hits: dict[int, frozenset[str]] = {}
    for item_id, description in items:
        matched = frozenset(w for w in _words(description) if any(_same(w, s) for s in said))
        if matched:
            hits[item_id] = matched
    if not hits:
        return [item_id for item_id, _ in items] if ALL_ITEMS.search(fold(text)) else []
    return [
        i
        for i, words in hits.items()
        if not all(
            any(w in other and len(other) > len(words) for other in hits.values()) for w in words
        )
    ]
