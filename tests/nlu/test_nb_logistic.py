"""Words an intent owns weigh for it; words every intent uses weigh for none."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from bot.nlu.nb_logistic import NBLogisticRegression

EXAMPLES = {
    "rastrear_pedido": ["dónde está mi pedido", "cuándo llega mi paquete", "sigue sin llegar"],
    "cancelar_pedido": ["cancela mi pedido", "quiero anular la compra", "anula el paquete"],
    "fuera_de_alcance": ["qué vuelos hay a parís", "hace sol en barcelona", "cuéntame un chiste"],
}


@pytest.fixture(scope="module")
def words() -> CountVectorizer:
    return CountVectorizer().fit([text for texts in EXAMPLES.values() for text in texts])


@pytest.fixture(scope="module")
def model(words: CountVectorizer) -> NBLogisticRegression:
    texts = [text for texts in EXAMPLES.values() for text in texts]
    labels = [intent for intent, texts in EXAMPLES.items() for _ in texts]
    return NBLogisticRegression().fit(words.transform(texts), labels)


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("mi pedido no llega", "rastrear_pedido"),
        ("anula mi pedido", "cancelar_pedido"),
        ("vuelos a barcelona", "fuera_de_alcance"),
    ],
)
def test_the_words_an_intent_owns_decide(
    model: NBLogisticRegression, words: CountVectorizer, message: str, intent: str
) -> None:
    assert model.predict(words.transform([message]))[0] == intent


def test_the_intents_probabilities_sum_to_one(
    model: NBLogisticRegression, words: CountVectorizer
) -> None:
    probabilities = model.predict_proba(words.transform(["dónde está mi compra", "hola"]))
    assert probabilities.shape == (2, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert list(model.classes_) == sorted(EXAMPLES)


def test_a_feature_every_intent_uses_alike_weighs_nothing() -> None:
    # Column 0 is in every row; columns 1 and 2 each belong to one intent.
    features = sparse.csr_matrix([[1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1]], dtype=float)
    model = NBLogisticRegression().fit(features, ["afirmar", "afirmar", "negar", "negar"])

    assert model.coef_[:, 0] == pytest.approx([0.0, 0.0])
    shared_only = model.predict_proba(sparse.csr_matrix([[1.0, 0.0, 0.0]]))
    assert shared_only[0] == pytest.approx([0.5, 0.5])
    assert model.predict(sparse.csr_matrix([[1.0, 0.0, 1.0]]))[0] == "negar"
