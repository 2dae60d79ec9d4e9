"""An answer that opens with a score is a rating, even when the shopper adds why."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.scores import OpeningScore, opens_with_score
from tests.nlu.trained import trained_blend


@pytest.mark.parametrize(
    "text",
    ["4", "5/5", "Un uno, no entendiste nada", "tres, podrías mejorar", "le doy un 5", "4 de 5"],
)
def test_a_message_that_opens_with_a_score(text: str) -> None:
    assert opens_with_score(text)


@pytest.mark.parametrize(
    "text",
    [
        "3 días y no llega",  # a count, not a score
        "2 pares de tenis",
        "10/10",  # out of 1–5: the example data's own annotation decides
        "1425",  # an Argentine postal code
        "una pregunta sobre el envío",
        "la atención fue de 1",  # a score, but not first: the words decide
        "",
    ],
)
def test_a_message_that_does_not(text: str) -> None:
    assert not opens_with_score(text)


def test_one_number_per_message() -> None:
    rows = OpeningScore().fit([]).transform(["2, regular", "hola", "un 5"]).toarray()
    assert rows.tolist() == [[1.0], [0.0], [1.0]]


EXAMPLES = {
    "valorar": [
        "5",
        "un 4",
        "3, normalito",
        "cuatro, bastante rápido",
        "2, tardaste mucho en contestar",
        "un uno, no me ayudaste nada",
    ],
    "opinar": [
        "la atención fue pésima y nadie me ayudó",
        "el chat no entiende nada",
        "me encanta la web, muy clara",
        "la entrega fue lentísima",
        "el bot es muy útil",
        "la web va fatal en el móvil",
    ],
}


def test_a_score_with_its_reason_is_a_rating(tmp_path: Path) -> None:
    """The reason is in opinion words the examples teach; the score in front decides."""
    blend = trained_blend(tmp_path, EXAMPLES)
    assert blend.model is not None
    predicted = blend.model.predict(["1, la atención fue pésima", "la atención fue pésima"])
    assert list(predicted) == ["valorar", "opinar"]
