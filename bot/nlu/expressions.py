"""Everyday Spanish for yes, no, hello, goodbye and thanks, as features for the linear model.

Short replies are where examples teach least: "jamás", "ni hablar", "en absoluto" and
"negativo" each say no, but each is a word or two that perhaps one example uses, so a
tf-idf model has nothing to go on when a shopper writes the one it has not seen ("nunca"
read as an opinion, "👎" as a yes). These lists are general Spanish of Spain and Latin
America, not the store's data, written out once like a speaker knows them. For each of the
five intents the model gets two numbers: whether the message uses one of its expressions,
and whether the message is nothing else (expressions, courtesy words and punctuation only).
Same 5 folds: the linear model alone 0.927 → 0.935 clean; averaged with DIET as in the
pipeline 0.931 → 0.944 clean (211 → 180 errors), 0.911 → 0.916 on the bench's noisy copy
(270 → 256).
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from bot.nlu.unknown_words import fold

# Accent-free and lower-case, as ``fold`` leaves a message. At one place of a message the
# longest expression wins, so "qué va" is a no and "¿cómo va?" a greeting, not the "va" of yes.
EXPRESSIONS: dict[str, tuple[str, ...]] = {
    "afirmar": (
        "si", "sip", "sipi", "sii", "siii", "si si", "claro", "claro que si", "por supuesto",
        "desde luego", "vale", "ok", "okey", "okay", "oki", "dale", "de acuerdo", "perfecto",
        "correcto", "exacto", "exactamente", "eso es", "eso mismo", "asi es", "efectivamente",
        "afirmativo", "cierto", "seguro", "sin duda", "va", "sale", "simon", "de una", "obvio",
        "obviamente", "aja", "yes", "yep", "yeah", "adelante", "hazlo", "venga", "esta bien",
        "me parece bien", "listo", "totalmente", "tal cual", "en efecto", "confirmo",
        "confirmado", "👍", "✅", "👌",
    ),
    "negar": (
        "no", "nop", "nope", "nel", "nah", "ni hablar", "para nada", "en absoluto",
        "de ninguna manera", "de ningun modo", "ni de broma", "ni loco", "ni loca", "jamas",
        "nunca", "negativo", "incorrecto", "tampoco", "mejor no", "ahora no", "todavia no",
        "aun no", "no hace falta", "no es necesario", "nada", "ninguno", "ninguna", "que va",
        "ni modo", "olvidalo", "dejalo", "nanai", "equivocado", "falso", "no es eso", "👎",
        "❌",
    ),
    "saludar": (
        "hola", "holi", "holis", "holaa", "buenas", "buenos dias", "buen dia",
        "buenas tardes", "buenas noches", "que tal", "hey", "hi", "hello", "saludos", "alo",
        "epa", "quiubo", "que onda", "que hubo", "ey", "wenas", "como estas", "como va",
        "que pasa", "que mas", "👋",
    ),
    "despedir": (
        "adios", "chao", "chau", "hasta luego", "hasta pronto", "hasta manana",
        "hasta la proxima", "hasta otra", "nos vemos", "bye", "see you", "me voy",
        "me despido", "cuidate", "que te vaya bien", "que tengas buen dia",
        "que pases buen dia", "buenas noches", "feliz dia", "me piro", "abur", "eso es todo",
        "nada mas", "fin", "salir", "terminar", "cerrar",
    ),
    "agradecer": (
        "gracias", "muchas gracias", "mil gracias", "te lo agradezco", "agradecido",
        "agradecida", "muy amable", "thanks", "thank you", "grax", "se agradece",
        "eres un sol", "🙏",
    ),
}  # fmt: skip
# Words that go with any short reply and change nothing ("no, gracias, de verdad").
COURTESY = ("por favor", "porfa", "porfis", "pues", "entonces", "y", "ya", "muy", "de verdad")

INTENTS = tuple(EXPRESSIONS)


def _intents_of() -> dict[str, set[str]]:
    """Expression → the intents it belongs to ("buenas noches" greets and takes leave)."""
    intents: dict[str, set[str]] = {}
    for intent, phrases in EXPRESSIONS.items():
        for phrase in phrases:
            intents.setdefault(phrase, set()).add(intent)
    return intents


def phrase_pattern(phrases: set[str]) -> re.Pattern[str]:
    """Any of ``phrases`` as whole words, the longest first where two start at one place."""
    longest_first = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")


_INTENTS_OF = _intents_of()
_EXPRESSION = phrase_pattern(set(_INTENTS_OF))
_COURTESY = phrase_pattern(set(COURTESY))


def expression_intents(text: str) -> tuple[set[str], bool]:
    """The intents whose expressions the message uses, and whether it says nothing else."""
    folded = fold(text)
    found = {intent for m in _EXPRESSION.finditer(folded) for intent in _INTENTS_OF[m.group()]}
    rest = _COURTESY.sub(" ", _EXPRESSION.sub(" ", folded))
    return found, bool(found) and not re.search(r"\w", rest)


class Expressions(TransformerMixin, BaseEstimator):
    """Message → per intent of ``INTENTS``: (uses one of its expressions, says nothing else)."""

    def fit(self, texts: list[str], labels: object = None) -> Expressions:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        rows = []
        for text in texts:
            found, only = expression_intents(text)
            uses = [intent in found for intent in INTENTS]
            rows.append(uses + [use and only for use in uses])
        return sparse.csr_matrix(np.array(rows, dtype=float).reshape(-1, 2 * len(INTENTS)))
