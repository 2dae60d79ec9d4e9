"""The journey metrics on a hand-made March 2025, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.analytics.metrics import StageMetrics, stage_metrics
from bot.analytics.period import Period
from tests.analytics.log import Said, conversation

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
DAY = datetime(2025, 3, 10, 10, 0)


@pytest.fixture
def march(session: Session) -> Session:
    """Six conversations: three resolved, one handed off, one abandoned, one still open."""
    conversation(
        session, "ana", DAY, "consideracion,compra", "resuelta", seconds=60, csat=5,
        order_hash="pedido-1",
        said=[Said("¿dónde está?"), Said("Aquí.", bot=True), Said("asdf", fallback=True),
              Said("Perdona.", bot=True)],
    )  # fmt: skip
    conversation(session, "bea", DAY + timedelta(days=3), "compra", "derivada",
                 order_hash="pedido-1", said=[Said("quiero hablar con alguien"),
                                              Said("Te paso.", bot=True)])  # fmt: skip
    conversation(session, "carla", DAY, "postventa", "abandonada", csat=1)
    conversation(session, "carla", DAY + timedelta(days=10), "postventa", "resuelta",
                 seconds=180, csat=4)  # fmt: skip
    conversation(session, "dani", DAY, "compra", "resuelta", seconds=120, channel="socketio")
    conversation(session, "eva", DAY, "compra", None)
    return session


def by_stage(rows: list[StageMetrics]) -> dict[str | None, StageMetrics]:
    return {row.stage: row for row in rows}


def test_overall_rates_count_only_settled_conversations_for_outcomes(march: Session) -> None:
    overall = by_stage(stage_metrics(session=march, period=MARCH))[None]
    assert (overall.conversations, overall.settled) == (6, 5)
    assert overall.containment == pytest.approx(3 / 5)
    assert overall.handoff_rate == pytest.approx(1 / 5)
    assert overall.abandonment_rate == pytest.approx(1 / 5)
    assert overall.turns_per_conversation == pytest.approx(10 / 6)


def test_satisfaction_is_the_mean_of_ratings_and_its_response_rate_over_all(
    march: Session,
) -> None:
    overall = by_stage(stage_metrics(session=march, period=MARCH))[None]
    assert overall.csat_average == pytest.approx(10 / 3)
    assert overall.csat_response_rate == pytest.approx(3 / 6)


def test_fallbacks_count_per_conversation_and_per_shopper_turn(march: Session) -> None:
    overall = by_stage(stage_metrics(session=march, period=MARCH))[None]
    assert overall.fallback_conversation_rate == pytest.approx(1 / 6)
    assert overall.fallback_turn_rate == pytest.approx(1 / 7)  # 7 shopper messages, 1 missed


def test_the_same_order_back_within_a_week_is_a_repeat_but_ten_days_later_is_not(
    march: Session,
) -> None:
    rows = by_stage(stage_metrics(session=march, period=MARCH))
    assert rows[None].repeat_contact_rate == pytest.approx(1 / 6)  # only ana's first contact
    assert rows["postventa"].repeat_contact_rate == 0


def test_median_time_to_resolution_per_stage_and_overall(march: Session) -> None:
    rows = by_stage(stage_metrics(session=march, period=MARCH))
    assert rows[None].median_resolution_seconds == pytest.approx(120)  # 60, 120, 180
    assert rows["compra"].median_resolution_seconds == pytest.approx(90)  # 60 and 120
    assert rows["postventa"].median_resolution_seconds == pytest.approx(180)


def test_a_conversation_counts_in_the_stage_it_ended_in(march: Session) -> None:
    rows = by_stage(stage_metrics(session=march, period=MARCH))
    assert rows["compra"].conversations == 4
    assert rows["compra"].containment == pytest.approx(2 / 3)
    assert "consideracion" not in rows  # ana passed through it but ended in compra


def test_a_channel_and_a_date_range_narrow_the_count(march: Session) -> None:
    socketio = Period(MARCH.since, MARCH.until, channel="socketio")
    assert by_stage(stage_metrics(session=march, period=socketio))[None].conversations == 1
    april = Period(date(2025, 4, 1), date(2025, 4, 30))
    overall = by_stage(stage_metrics(session=march, period=april))[None]
    assert overall.conversations == 0 and overall.containment is None
