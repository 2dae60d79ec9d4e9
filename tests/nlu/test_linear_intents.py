"""The linear model's opinion settles DIET's doubts and leaves its sure answers alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from joblib import parallel_config
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline

from bot.nlu.linear_intents import LinearIntentBlend, _model
from bot.nlu.placeholders import Placeholders
from bot.nlu.rare_words import RareWords
from tests.nlu.trained import trained_blend

EXAMPLES = {
    "saludar": ["hola", "buenas", "buenos días", "holi", "qué tal", "hola, buenas tardes"],
    "despedir": ["adiós", "chao", "hasta luego", "nos vemos", "me voy, chau", "bye"],
    "rastrear_pedido": [
        "dónde está mi pedido",
        "cuándo llega mi paquete",
        "estado de mi compra",
        "rastrear mi orden",
        "no me ha llegado el pedido todavía, dónde está",
        "seguimiento del envío de mi pedido",
    ],
}


@pytest.fixture(scope="module")
def blend(tmp_path_factory: pytest.TempPathFactory) -> LinearIntentBlend:
    return trained_blend(Path(tmp_path_factory.mktemp("blend")), EXAMPLES)


def parse(blend: LinearIntentBlend, text: str, diet: dict[str, float]) -> Message:
    """``text`` as DIET ranked it (``diet``), then through the blend."""
    ranking = [
        {"name": name, "confidence": confidence}
        for name, confidence in sorted(diet.items(), key=lambda item: -item[1])
    ]
    message = Message(data={TEXT: text})
    message.set(INTENT, dict(ranking[0]))
    message.set(INTENT_RANKING_KEY, ranking)
    blend.process([message])
    return message


def test_a_doubtful_diet_is_settled_by_the_words(blend: LinearIntentBlend) -> None:
    # "dónde sta mi pedidoo" with DIET torn between a greeting and the order
    message = parse(blend, "dónde sta mi pedidoo", {"saludar": 0.5, "rastrear_pedido": 0.45})
    assert message.get(INTENT)["name"] == "rastrear_pedido"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "rastrear_pedido"


def test_a_sure_diet_keeps_its_answer(blend: LinearIntentBlend) -> None:
    message = parse(blend, "hola", {"saludar": 0.99, "despedir": 0.01})
    assert message.get(INTENT)["name"] == "saludar"
    assert message.get(INTENT)["confidence"] > 0.6


def test_the_ranking_is_ordered_and_sums_like_probabilities(blend: LinearIntentBlend) -> None:
    message = parse(blend, "chao", {"despedir": 0.7, "saludar": 0.3})
    confidences = [entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)
    assert message.get(INTENT) == message.get(INTENT_RANKING_KEY)[0]


def test_a_message_diet_did_not_rank_is_left_alone(blend: LinearIntentBlend) -> None:
    message = Message(data={TEXT: "/saludar"})
    blend.process([message])
    assert message.get(INTENT) is None


def test_an_untrained_blend_changes_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("empty_blend")
    only_one = TrainingData(training_examples=[Message(data={TEXT: "hola", INTENT: "saludar"})])
    LinearIntentBlend.create({}, storage, resource, None).train(only_one)  # type: ignore[arg-type]
    blend = LinearIntentBlend.load({}, storage, resource, None)  # type: ignore[arg-type]
    message = parse(blend, "hola", {"saludar": 0.4, "despedir": 0.35})
    assert message.get(INTENT) == {"name": "saludar", "confidence": 0.4}


def test_a_product_no_example_names_is_still_a_product_question(tmp_path: Path) -> None:
    """The catalogue (a lookup table) is enough: "riñonera" is in no example."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("catalogue_blend")
    examples = {
        "consultar_producto": ["sudadera?", "la camiseta", "¿tenéis sudadera?", "camiseta roja?"],
        "saludar": ["hola", "buenas", "qué tal", "holi", "hola, buenas tardes", "epa"],
    }
    data = TrainingData(
        training_examples=[
            Message(data={TEXT: text, INTENT: intent})
            for intent, texts in examples.items()
            for text in texts
        ],
        lookup_tables=[{"name": "producto", "elements": ["sudadera", "camiseta", "riñonera"]}],
    )
    LinearIntentBlend.create({}, storage, resource, None).train(data)  # type: ignore[arg-type]
    blend = LinearIntentBlend.load({}, storage, resource, None)  # type: ignore[arg-type]
    message = parse(blend, "riñonera?", {"saludar": 0.52, "consultar_producto": 0.48})
    assert message.get(INTENT)["name"] == "consultar_producto"


def test_both_cores_train_the_same_model_as_one() -> None:
    """The regressions fit side by side in threads; the model must not depend on it."""
    texts = [text for examples in EXAMPLES.values() for text in examples]
    labels = [intent for intent, examples in EXAMPLES.items() for _ in examples]
    data = TrainingData(
        training_examples=[
            Message(data={TEXT: text, INTENT: label})
            for text, label in zip(texts, labels, strict=True)
        ]
    )
    placeholders = Placeholders.from_training_data(data)

    def fitted(backend: str, n_jobs: int | None) -> Pipeline:
        model = _model(30.0, placeholders, RareWords.from_examples(texts, placeholders))
        model.set_params(votingclassifier__n_jobs=n_jobs)
        with parallel_config(backend=backend):
            return model.fit(texts, labels)

    messages = ["hola, dónde está mi pedido", "chao", "mi paquete no llega", "buenas"]
    both = fitted("threading", 2).predict_proba(messages)
    one = fitted("sequential", None).predict_proba(messages)
    assert np.array_equal(both, one)
