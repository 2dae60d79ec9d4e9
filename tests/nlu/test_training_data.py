"""The NLU data meets the issue's floor per intent and uses only the design's intent names."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.config import PROJECT_ROOT
from tests.test_consistency import DESIGN_INTENTS

SMALL_TALK_INTENTS = {
    "saludar", "despedir", "agradecer", "afirmar", "negar", "bot_challenge", "fuera_de_alcance",
    "opinar",
}  # fmt: skip
TASK_INTENTS = DESIGN_INTENTS - SMALL_TALK_INTENTS
FORM_INTENTS = {"informar_pedido", "informar_email", "informar_codigo_postal", "valorar"}


@pytest.fixture(scope="module")
def counts() -> Counter[str]:
    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    return Counter(m.get("intent") for m in data.intent_examples)


def test_every_task_intent_has_at_least_fifty_examples(counts: Counter[str]) -> None:
    assert {i: counts[i] for i in TASK_INTENTS if counts[i] < 50} == {}


def test_every_small_talk_and_form_intent_has_at_least_twenty_five(counts: Counter[str]) -> None:
    others = DESIGN_INTENTS - TASK_INTENTS | FORM_INTENTS
    assert {i: counts[i] for i in others if counts[i] < 25} == {}


def test_nlu_predicts_only_the_designs_intents(counts: Counter[str]) -> None:
    assert set(counts) == DESIGN_INTENTS | FORM_INTENTS
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(domain["intents"]) == DESIGN_INTENTS | FORM_INTENTS


def test_faq_answers_are_retrieval_intents_inside_the_designs_intents() -> None:
    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    keys = {m.get_full_intent() for m in data.intent_examples if m.get("intent_response_key")}
    assert keys and {key.split("/")[0] for key in keys} <= DESIGN_INTENTS
    assert {f"utter_{key}" for key in keys} <= set(data.responses)
