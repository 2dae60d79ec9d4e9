"""Ranking pain points: worse than the rest of their stage, with enough conversations to say so."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.analytics.painpoints import GroupKey, example_transcripts, rank_pain_points
from bot.analytics.period import Period
from bot.analytics.scoring import pain_score, wilson_lower_bound
from tests.analytics.log import Said, conversation

JUNE = Period(date(2025, 6, 1), date(2025, 6, 30))
DAY = datetime(2025, 6, 12, 11, 0)
LATE_PARCELS = GroupKey("compra", "reportar_problema", "retraso", "enviado", True)


def test_wilson_lower_bound_matches_the_textbook_values() -> None:
    assert wilson_lower_bound(2, 3) == pytest.approx(0.2077, abs=1e-4)
    assert wilson_lower_bound(0, 10) == 0
    assert wilson_lower_bound(0, 0) == 0


def test_a_small_perfectly_bad_group_ranks_below_a_big_reliably_bad_one() -> None:
    assert pain_score(3, 3, baseline=0.2) < pain_score(60, 100, baseline=0.2)


def shopping(session: Session, june: datetime = DAY) -> None:
    """June in compra: late parcels go badly (15 of 20 handed off), tracking goes well."""
    for i in range(20):
        conversation(
            session, f"late-{june:%m}-{i}", june, "compra",
            "derivada" if i < 15 else "resuelta",
            intent="reportar_problema", category="retraso", order_status="enviado",
            order_late=True,
            said=[Said("mi paquete no llega"), Said("Lo siento.", bot=True)],
        )  # fmt: skip
    for i in range(40):
        conversation(session, f"track-{june:%m}-{i}", june, "compra",
                     "abandonada" if i < 4 else "resuelta", intent="rastrear_pedido")  # fmt: skip
    for i in range(2):
        conversation(session, f"cancel-{june:%m}-{i}", june, "compra", "derivada",
                     intent="cancelar_pedido")  # fmt: skip


def test_late_parcels_rank_first_against_the_rest_of_compra(session: Session) -> None:
    shopping(session)
    [first] = rank_pain_points(session=session, period=JUNE, top=1)
    assert first.key == LATE_PARCELS
    assert (first.counts.size, first.counts.bad, first.counts.handoffs) == (20, 15, 15)
    assert first.bad_rate == pytest.approx(0.75)
    assert first.baseline == pytest.approx(6 / 42)  # 4 abandoned + 2 cancellations handed off


def test_groups_under_the_minimum_size_are_not_ranked(session: Session) -> None:
    shopping(session)
    keys = [p.key.intent for p in rank_pain_points(session=session, period=JUNE)]
    assert "cancelar_pedido" not in keys  # 2 of 2 handed off, but only 2
    with_small = rank_pain_points(session=session, period=JUNE, min_size=1)
    assert [p.key.intent for p in with_small][:2] == ["reportar_problema", "cancelar_pedido"]


def test_the_trend_compares_with_the_previous_period_of_equal_length(session: Session) -> None:
    shopping(session)
    for i in range(20):  # May: the same group, only 5 of 20 handed off
        conversation(
            session, f"may-late-{i}", DAY - timedelta(days=30), "compra",
            "derivada" if i < 5 else "resuelta", intent="reportar_problema",
            category="retraso", order_status="enviado", order_late=True,
        )  # fmt: skip
    [first] = rank_pain_points(session=session, period=JUNE, top=1)
    assert first.previous_size == 20
    assert first.trend == pytest.approx(0.75 - 0.25)


def test_examples_are_masked_transcripts_of_bad_outcomes_first(session: Session) -> None:
    shopping(session)
    examples = example_transcripts(session=session, period=JUNE, key=LATE_PARCELS)
    assert len(examples) == 3
    assert {e.outcome for e in examples} == {"derivada"}
    assert examples[0].lines == [("shopper", "mi paquete no llega"), ("bot", "Lo siento.")]
