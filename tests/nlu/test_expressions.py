"""Yes, no, hello, goodbye and thanks in the words shoppers use, even ones no example has."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.expressions import INTENTS, Expressions, expression_intents
from tests.nlu.trained import trained_blend


@pytest.mark.parametrize(
    ("text", "intents", "only"),
    [
        ("Jamás", {"negar"}, True),
        ("ni hablar", {"negar"}, True),
        ("no, gracias, de verdad", {"negar", "agradecer"}, True),
        ("qué va", {"negar"}, True),  # the longest expression: not the "va" of yes
        ("hola, ¿cómo va?", {"saludar"}, True),
        ("Sí, por favor 👍", {"afirmar"}, True),
        ("buenas noches", {"saludar", "despedir"}, True),
        ("no me ha llegado el pedido", {"negar"}, False),
        ("¿cuánto cuesta la sudadera?", set(), False),
        ("", set(), False),
        ("🙂🙂", set(), False),
    ],
)
def test_what_a_message_says(text: str, intents: set[str], only: bool) -> None:
    assert expression_intents(text) == (intents, only)


def test_words_inside_other_words_are_not_expressions() -> None:
    """ "sino" is no "si", "nadar" no "nada", "holanda" no "hola"."""
    assert expression_intents("quiero nadar en holanda sino me aburro") == (set(), False)


def test_two_numbers_per_intent() -> None:
    rows = Expressions().fit([]).transform(["jamás", "no me llegó, gracias", "hola"]).toarray()
    negar, agradecer, saludar = (INTENTS.index(i) for i in ("negar", "agradecer", "saludar"))
    only = len(INTENTS)
    assert rows.shape == (3, 2 * len(INTENTS))
    assert rows[0].tolist() == [float(i in (negar, negar + only)) for i in range(2 * only)]
    assert rows[1][negar] == rows[1][agradecer] == 1 and not rows[1][only:].any()
    assert rows[2][saludar] == rows[2][saludar + only] == 1 and rows[2].sum() == 2


EXAMPLES = {
    "negar": ["no", "no, gracias", "para nada", "ahora no", "no quiero", "mejor no"],
    "afirmar": ["sí", "vale", "claro", "de acuerdo", "sí, gracias", "perfecto"],
    "opinar": [
        "me encanta vuestra tienda",
        "la web es muy lenta",
        "qué bonitas las fotos de los productos",
        "el envío fue rapidísimo, os felicito",
        "nunca había visto una tienda tan ordenada",
        "la atención al cliente deja mucho que desear",
    ],
}


def test_a_no_that_no_example_uses_is_still_a_no(tmp_path: Path) -> None:
    blend = trained_blend(tmp_path, EXAMPLES)
    assert blend.model is not None
    predicted = blend.model.predict(["jamás", "ni hablar", "en absoluto", "okey", "adelante"])
    assert list(predicted) == ["negar", "negar", "negar", "afirmar", "afirmar"]
