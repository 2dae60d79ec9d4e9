"""The cast covers the whole journey, speaks Spanish, and plants have words of their own."""

from __future__ import annotations

import re
import string

import pytest

from bot.journey.stages import load_journey
from bot.simulate import phrases
from bot.simulate.personas import PERSONAS, STAGES, personas_for
from bot.simulate.plants import PLANTS, parse_plant

# Words only Spanish has, common enough that every shopper's message uses at least one.
SPANISH_WORDS = re.compile(
    r"\b(el|la|los|las|un|una|mi|me|de|que|qué|para|con|en|y|por|os|no|hay|es|a|se|quiero|"
    r"tienen|pedido|más|hola|\w+[áé]is)\b",
    re.I,
)
ENGLISH_WORDS = re.compile(r"\b(the|my|order|please|where|is|you|and)\b", re.I)


def test_every_journey_stage_has_shoppers() -> None:
    assert tuple(stage.name for stage in load_journey().stages) == STAGES
    for stage in STAGES:
        assert personas_for(stage), stage


def test_persona_names_are_unique_and_flows_known() -> None:
    names = [p.name for p in PERSONAS]
    assert len(names) == len(set(names))
    assert {p.flow for p in PERSONAS} <= {"pregunta", "pedido", "opinion"}
    for persona in PERSONAS:
        assert persona.flow != "pedido" or persona.order_statuses, persona.name


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_openings_read_as_spanish(persona: object) -> None:
    for text in persona.openings:  # type: ignore[attr-defined]
        assert SPANISH_WORDS.search(text), text
        assert not ENGLISH_WORDS.search(text), text


def test_some_shoppers_write_with_accents_and_spanish_marks() -> None:
    texts = [t for p in PERSONAS for t in p.openings]
    assert any(ch in t for t in texts for ch in "áéíóúñ")
    assert any(t.startswith("¿") for t in texts)
    assert any(not t.startswith("¿") and t.endswith("?") for t in texts)  # as people type


def test_answer_templates_only_use_the_orders_fields() -> None:
    allowed = {"numero", "numero_minusculas", "email", "cp", "producto"}
    templates = [*phrases.ORDER_NUMBER, *phrases.EMAIL, *phrases.POSTAL_CODE, *phrases.WHICH_ITEMS]
    for template in templates:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert fields <= allowed, template


def test_every_plant_has_its_own_words_that_no_ordinary_shopper_uses() -> None:
    ordinary = " ".join(t.lower() for p in PERSONAS for t in (*p.openings, *p.follow_ups))
    for key, plant in PLANTS.items():
        stage, _topic = key.split(":")
        assert plant.persona.stage == stage
        for word in plant.words:
            assert all(word in t.lower() for t in plant.persona.openings), (key, word)
            assert word not in ordinary, (key, word)


def test_an_unknown_plant_names_the_choices() -> None:
    assert parse_plant(" Postventa:Devolucion ").key == "postventa:devolucion"
    with pytest.raises(ValueError, match="postventa:devolucion"):
        parse_plant("postventa:nada")
