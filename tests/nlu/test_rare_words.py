"""A question in words the examples hardly use is counted as such, for the linear model."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bot.nlu.placeholders import Placeholders
from bot.nlu.rare_words import RareWords
from tests.nlu.trained import trained_blend

CATALOGUE = [{"name": "producto", "elements": ["sudadera", "riñonera"]}]
PLACEHOLDERS = Placeholders([("producto", r"\b(?:sudadera|rinonera)\b")])


def rare_words(*examples: str) -> RareWords:
    return RareWords.from_examples(list(examples), PLACEHOLDERS)


def test_a_word_two_examples_use_is_familiar_one_example_is_not_enough() -> None:
    words = rare_words("¿a qué hora abrís?", "¿a qué hora cerráis?", "¿hacéis envíos a Lima?")
    assert {"que", "hora"} <= words.familiar
    assert "abris" not in words.familiar  # one example only
    assert "lima" not in words.familiar


def test_a_message_scores_its_rare_words() -> None:
    words = rare_words("¿a qué hora abrís?", "¿a qué hora abrís hoy?")
    known, two, five = words.transform(
        [
            "¿a qué hora abrís?",
            "¿a qué hora abre la farmacia?",
            "¿a qué hora abre la farmacia del barrio mañana?",
        ]
    ).toarray()
    assert list(known) == [0, 0, 0]
    # "abre" and "farmacia" of four words ("la" is too short to count)
    assert list(two) == pytest.approx([2 / 3, 2 / 4, 1])
    # five rare words count as three; five of seven words are rare
    assert list(five) == pytest.approx([1, 5 / 7, 1])


def test_entities_and_short_words_are_not_rare() -> None:
    """A product is the catalogue's word, not an unknown one; "5" or "y" say nothing of topic."""
    words = rare_words("¿tenéis sudadera?", "¿tenéis camiseta?")
    assert words.transform(["¿tenéis riñonera? 5 y 2"]).toarray().tolist() == [[0, 0, 0]]


def test_it_pickles_with_the_linear_model() -> None:
    words = rare_words("hola", "hola, qué tal")
    assert pickle.loads(pickle.dumps(words)).familiar == words.familiar


def test_the_blend_counts_words_in_the_examples_not_in_their_slipped_copies(
    tmp_path: Path,
) -> None:
    """Each example has four slipped copies: a word of one example must still count as rare."""
    examples = {
        "consultar_tienda": ["¿a qué hora abrís?", "¿a qué hora cerráis?", "horario de la tienda"],
        "fuera_de_alcance": ["¿cuánto pesa una ballena?", "¿qué hora es en Tokio?"],
    }
    blend = trained_blend(tmp_path, examples, CATALOGUE)
    assert blend.model is not None
    views = blend.model.named_steps["featureunion"].transformer_list
    words = next(view for _, view in views if isinstance(view, RareWords))
    assert words.familiar == {"que", "hora"}
