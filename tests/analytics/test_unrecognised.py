"""Misunderstood messages grouped by stage, and the draft NLU file an analyst reviews."""

from __future__ import annotations

from datetime import date, datetime

import yaml
from sqlalchemy.orm import Session

from bot.analytics.language import Analyzer
from bot.analytics.period import Period
from bot.analytics.samples import fallback_texts
from bot.analytics.unrecognised import cluster_fallbacks, draft_nlu
from tests.analytics.log import Said, conversation

JULY = Period(date(2025, 7, 1), date(2025, 7, 31))
GIFT = ["¿tenéis tarjeta regalo?", "quiero comprar una tarjeta regalo", "tarjeta regalo de 50"]
BIZUM = ["¿puedo pagar con bizum?", "pago con bizum", "¿aceptáis bizum?"]


def test_gift_cards_and_bizum_come_out_as_two_groups_in_consideration(session: Session) -> None:
    for i, text in enumerate(GIFT * 3 + BIZUM * 3):
        conversation(session, f"fb-{i}", datetime(2025, 7, 3, 9, i), "consideracion",
                     "abandonada", said=[Said(text, fallback=True)])  # fmt: skip
    conversation(session, "ok", datetime(2025, 7, 3), "compra", "resuelta", said=[Said("hola")])
    samples = fallback_texts(session=session, period=JULY)
    assert list(samples) == ["consideracion"]
    assert samples["consideracion"][0] == 18
    [stage] = cluster_fallbacks(samples, Analyzer())
    by_words = {frozenset(c.keywords): c for c in stage.clusters}
    assert len(stage.clusters) == 2
    assert sorted(c.size for c in stage.clusters) == [9, 9]
    gift = next(c for words, c in by_words.items() if "regalo" in " ".join(words))
    assert set(gift.examples) == set(GIFT)


def test_the_draft_nlu_file_is_rasa_yaml_with_a_placeholder_intent_per_group(
    session: Session,
) -> None:
    for i, text in enumerate(GIFT * 2 + BIZUM * 2):
        conversation(session, f"nlu-{i}", datetime(2025, 7, 20, 9, i), "compra", "abandonada",
                     said=[Said(text, fallback=True)])  # fmt: skip
    stages = cluster_fallbacks(fallback_texts(session=session, period=JULY), Analyzer())
    draft = draft_nlu(stages)
    assert "# revisar" in draft
    data = yaml.safe_load(draft)
    intents = [item["intent"] for item in data["nlu"]]
    assert intents and all(name.startswith("revisar_compra_") for name in intents)
    examples = "".join(item["examples"] for item in data["nlu"])
    assert "- ¿tenéis tarjeta regalo?" in examples
