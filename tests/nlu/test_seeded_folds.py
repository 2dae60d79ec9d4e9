"""The bench's cross-validation draws the same folds every run (bench/seeded_rasa.py)."""

from __future__ import annotations

import numpy as np
from rasa.nlu.test import generate_folds
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DATA = TrainingData(
    training_examples=[
        Message(data={TEXT: f"{word} {i}", INTENT: intent})
        for intent, word in (("saludar", "hola"), ("despedir", "adiós"), ("afirmar", "sí"))
        for i in range(10)
    ]
)


def folds(seed: int) -> list[list[str]]:
    """Rasa's own fold draw after seeding numpy as ``bench.seeded_rasa`` does."""
    np.random.seed(seed)
    return [[m.get(TEXT) for m in test.training_examples] for _, test in generate_folds(5, DATA)]


def test_the_same_seed_draws_the_same_folds() -> None:
    assert folds(0) == folds(0)


def test_another_seed_draws_other_folds() -> None:
    """Proof that the seed is what fixes them: Rasa draws from numpy's global generator."""
    assert folds(0) != folds(1)
