"""When the bot does not understand: first two likely topics, then a person."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.fallback import ActionFallbackReformular, likeliest_topics
from bot.config import get_settings
from bot.store import store_session
from bot.store.models import Ticket
from tests.actions.helpers import make_tracker, responses, run

RANKING = [
    ("nlu_fallback", 0.41),
    ("saludar", 0.3),
    ("rastrear_pedido", 0.2),
    ("consultar_envio", 0.05),
    ("reportar_problema", 0.04),
]


async def test_first_misunderstanding_offers_the_two_likeliest_topics_and_otra_cosa() -> None:
    tracker = make_tracker(intent="nlu_fallback", text="mi cosa esa", ranking=RANKING)
    messages, events = await run(ActionFallbackReformular(), tracker)
    assert responses(messages) == ["utter_reformular"] and events == []
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Saber dónde está mi pedido", "Envíos y plazos de entrega", "Otra cosa"]
    assert messages[0]["buttons"][0]["payload"] == "/rastrear_pedido"


async def test_second_misunderstanding_in_a_row_hands_over_to_a_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGENT_HOURS", "24/7")  # in hours, nobody online: a ticket
    get_settings.cache_clear()
    events = [
        {"event": "user", "text": "mi cosa esa", "parse_data": {}},
        {"event": "action", "name": "action_fallback_reformular"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "pues eso que te digo", "parse_data": {}},
    ]
    tracker = make_tracker(intent="nlu_fallback", ranking=RANKING, events=events)
    messages, _ = await run(ActionFallbackReformular(), tracker)
    assert responses(messages) == ["utter_handoff_sin_agentes"]
    with store_session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == messages[0]["ticket"])).one()
    assert "no entendió" in ticket.description and "pues eso que te digo" in ticket.description


async def test_an_understood_message_in_between_starts_the_count_again() -> None:
    events = [
        {"event": "user", "text": "mi cosa esa"},
        {"event": "action", "name": "action_fallback_reformular"},
        {"event": "user", "text": "hola"},
        {"event": "action", "name": "utter_saludar"},
        {"event": "user", "text": "bla bla"},
    ]
    tracker = make_tracker(intent="nlu_fallback", ranking=RANKING, events=events)
    messages, _ = await run(ActionFallbackReformular(), tracker)
    assert responses(messages) == ["utter_reformular"]


def test_only_topics_a_shopper_recognises_are_offered() -> None:
    ranking = [{"name": n, "confidence": c} for n, c in RANKING]
    assert likeliest_topics(ranking) == ["rastrear_pedido", "consultar_envio"]
