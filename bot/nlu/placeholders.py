"""Entity-shaped words replaced by their kind, for a model that only sees words.

A tf-idf model learns "riñonera" only if an example of every intent it belongs to names it.
Read as "¿cuánto sale la ent_producto?", a product the examples never asked about is a product
question like all the others; the same goes for order numbers, e-mails, postal codes and other
numbers. The patterns are the training data's own regexes and lookup tables (the catalogue's
products, categories, colours and brands), so the placeholders follow the store's data.

A number no pattern takes is short or long. One or two digits are a score or a count ("5",
"10 de 10", "24 horas"); three or more are a code or an amount, like Argentina's four-digit
postal codes, which have no pattern of their own (they would take years too). Read as one
``ent_numero``, "1425" was a rating. Same 5 folds, averaged with DIET's rankings from five
training runs: errors 167 / 161 / 163 / 166 / 170 → 166 / 160 / 160 / 163 / 167.
"""

from __future__ import annotations

import re

from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.unknown_words import fold

NUMBER = re.compile(r"\d+")


def _number(match: re.Match[str]) -> str:
    return " ent_numero " if len(match.group()) <= 2 else " ent_numero_largo "


class Placeholders:
    """Callable text preprocessor: folded text with entity-shaped words as ``ent_<kind>``.

    A plain class of compiled patterns, so a fitted scikit-learn model that uses it pickles.
    """

    def __init__(self, patterns: list[tuple[str, str]]) -> None:
        # (kind, regex) in the order they apply: regexes first (an order number is six digits),
        # then lookups, longest element first ("sudadera de cuello redondo" before "sudadera").
        self.patterns = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in patterns]

    @classmethod
    def from_training_data(cls, data: TrainingData) -> Placeholders:
        patterns = [(str(r["name"]), str(r["pattern"])) for r in data.regex_features]
        for table in data.lookup_tables:
            elements = table.get("elements", [])
            words = sorted({fold(str(e)).strip() for e in elements} - {""}, key=len, reverse=True)
            if words:
                alternatives = "|".join(re.escape(w) for w in words)
                patterns.append((str(table["name"]), rf"\b(?:{alternatives})\b"))
        return cls(patterns)

    def __call__(self, text: str) -> str:
        folded = fold(text)
        for kind, pattern in self.patterns:
            folded = pattern.sub(f" ent_{kind} ", folded)
        return " ".join(NUMBER.sub(_number, folded).split())
