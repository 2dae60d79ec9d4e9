"""Agent hours as a store operator writes them, and what a shopper is told."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.handoff.hours import AgentHoursError, parse_agent_hours

MADRID_WEEKDAYS = "mon-fri 09:00-19:00, sat 10:00-14:00"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_people_answer_on_a_weekday_morning_in_madrid() -> None:
    hours = parse_agent_hours(MADRID_WEEKDAYS, "Europe/Madrid")
    # Monday 23 November 2026, 09:30 in Madrid is 08:30 UTC.
    assert hours.open_at(utc(2026, 11, 23, 8, 30))
    assert not hours.open_at(utc(2026, 11, 23, 7, 59))  # 08:59 in Madrid


def test_nobody_answers_on_sunday_or_saturday_afternoon() -> None:
    hours = parse_agent_hours(MADRID_WEEKDAYS, "Europe/Madrid")
    assert not hours.open_at(utc(2026, 11, 22, 11, 0))  # Sunday noon
    assert hours.open_at(utc(2026, 11, 21, 10, 0))  # Saturday 11:00
    assert not hours.open_at(utc(2026, 11, 21, 13, 0))  # Saturday 14:00: closed


def test_the_window_follows_the_stores_time_zone() -> None:
    mexico = parse_agent_hours("mon-fri 09:00-18:00", "America/Mexico_City")
    # 16:00 UTC is 10:00 in Mexico City (UTC-6): open; in Madrid it would be 17:00.
    assert mexico.open_at(utc(2026, 11, 23, 16, 0))
    assert not mexico.open_at(utc(2026, 11, 23, 14, 0))  # 08:00 in Mexico City


def test_round_the_clock_support() -> None:
    hours = parse_agent_hours("24/7")
    assert hours.open_at(utc(2026, 11, 22, 3, 0))
    assert hours.describe() == "a cualquier hora"


def test_the_shopper_hears_the_hours_in_spanish() -> None:
    hours = parse_agent_hours(MADRID_WEEKDAYS)
    assert hours.describe() == (
        "de lunes a viernes de 09:00 a 19:00 y los sábados de 10:00 a 14:00"
    )


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("lunes a viernes", "should look like"),
        ("mon-fry 09:00-19:00", "unknown day"),
        ("mon-fri 19:00-09:00", "ends before it starts"),
        ("mon 25:00-26:00", "not a time of day"),
        ("", "empty"),
    ],
)
def test_a_typo_in_the_hours_stops_the_process_with_a_reason(setting: str, complaint: str) -> None:
    with pytest.raises(AgentHoursError, match=complaint):
        parse_agent_hours(setting)


def test_an_unknown_time_zone_is_named() -> None:
    with pytest.raises(AgentHoursError, match="Europe/Madri"):
        parse_agent_hours("24/7", "Europe/Madri")
