"""Gibberish goes to the fallback; real Spanish, typos, order numbers and emails do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.unknown_words import UnknownWordsGuard, fold

TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def training_data() -> TrainingData:
    examples = [
        Message(data={TEXT: text, INTENT: intent})
        for text, intent in [
            ("dónde está mi pedido", "rastrear_pedido"),
            ("quiero devolver unas zapatillas", "solicitar_devolucion"),
            ("hola buenas", "saludar"),
        ]
    ]
    data = TrainingData(
        training_examples=examples,
        lookup_tables=[{"name": "producto", "elements": ["sudadera con capucha"]}],
        regex_features=[
            {"name": "numero_pedido", "pattern": r"\bRU-?\d{6}\b"},
            {"name": "email", "pattern": r"[^@\s]+@[^@\s]+\.\w+"},
        ],
    )
    TOKENIZER.process_training_data(data)
    return data


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory) -> UnknownWordsGuard:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("guard")))
    resource = Resource("unknown_words_guard")
    trained = UnknownWordsGuard(storage, resource)
    trained.train(training_data())
    return UnknownWordsGuard.load({}, storage, resource, execution_context=None)  # type: ignore[arg-type]


def classify(guard: UnknownWordsGuard, text: str) -> float:
    message = Message(data={TEXT: text})
    TOKENIZER.process([message])
    ranking = [{"name": "consultar_producto", "confidence": 0.9}]
    message.set(INTENT, dict(ranking[0]))
    message.set(INTENT_RANKING_KEY, ranking)
    guard.process([message])
    assert message.get(INTENT_RANKING_KEY) == ranking, "the ranking feeds the rephrase buttons"
    return float(message.get(INTENT)["confidence"])


@pytest.mark.parametrize("text", ["blorf gnap trrr", "xkcd qwpo zzzt", "asdfgh!!"])
def test_gibberish_loses_its_confidence(guard: UnknownWordsGuard, text: str) -> None:
    assert classify(guard, text) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "DONDE ESTA MI PEDIDO",  # known words, shouted and without accents
        "pedidoo??",  # one typo away
        "sapatillas",  # one typo away
        "RU-100004",  # matches a regex from the training data
        "ana.garcia@example.com",
        "sudadera",  # a lookup-table word
        "42",  # a size
        "👍",  # nothing to judge: the classifiers decide
        "",
    ],
)
def test_known_words_keep_their_confidence(guard: UnknownWordsGuard, text: str) -> None:
    assert classify(guard, text) == 0.9


def test_fold_strips_accents_and_case() -> None:
    assert fold("Devolución") == "devolucion"


def test_an_untrained_guard_lets_everything_through(tmp_path: Path) -> None:
    empty = UnknownWordsGuard(LocalModelStorage(tmp_path), Resource("x"))
    assert classify(empty, "blorf gnap trrr") == 0.9
