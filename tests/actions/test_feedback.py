"""A shopper tells us what they think or scores the help, and it is kept for the team."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from actions.feedback import ActionAgradecer, ActionRegistrarOpinion, ActionRegistrarValoracion
from bot.store import store_session
from bot.store.models import Feedback
from tests.actions.helpers import make_tracker, responses, run, slot_events


def _tracker(conversation: str, *, text: str, intent: str, score: str | None = None) -> Any:
    entities = [{"entity": "valoracion", "value": score}] if score is not None else []
    tracker = make_tracker(intent=intent, text=text, entities=entities)
    tracker.sender_id = conversation
    return tracker


def _stored(conversation: str) -> list[tuple[str, str | None, int | None]]:
    with store_session() as session:
        rows = session.execute(
            select(Feedback.kind, Feedback.text, Feedback.score)
            .where(Feedback.conversation_id == conversation)
            .order_by(Feedback.id)
        ).all()
    return [(row.kind, row.text, row.score) for row in rows]


async def test_opinion_is_kept_word_for_word_and_thanked() -> None:
    said = "La web va muy lenta cuando pago con Bizum, deberíais mirarlo."
    messages, _ = await run(
        ActionRegistrarOpinion(), _tracker("opinion-1", text=said, intent="opinar")
    )
    assert responses(messages) == ["utter_gracias_opinion"]
    assert _stored("opinion-1") == [("opinion", said, None)]


async def test_opinion_button_without_words_asks_for_the_opinion() -> None:
    messages, _ = await run(
        ActionRegistrarOpinion(), _tracker("opinion-2", text="/opinar", intent="opinar")
    )
    assert responses(messages) == ["utter_pedir_opinion"]
    assert _stored("opinion-2") == []


@pytest.mark.parametrize(
    ("typed", "score", "kept_text"),
    [
        ('/valorar{"valoracion": "5"}', "5", None),
        ("cinco", "cinco", "cinco"),
        ("un 4", "un 4", "un 4"),
    ],
)
async def test_good_score_is_kept_and_thanked(
    typed: str, score: str, kept_text: str | None
) -> None:
    conversation = f"nota-{score}"
    tracker = _tracker(conversation, text=typed, intent="valorar", score=score)
    messages, events = await run(ActionRegistrarValoracion(), tracker)
    expected = 4 if "4" in score else 5
    assert responses(messages) == ["utter_gracias_valoracion"]
    assert slot_events(events) == {"valoracion": str(expected)}
    assert _stored(conversation) == [("valoracion", kept_text, expected)]


@pytest.mark.parametrize("score", ["1", "2"])
async def test_low_score_is_kept_and_offers_a_person(score: str) -> None:
    tracker = _tracker(f"baja-{score}", text=score, intent="valorar", score=score)
    messages, events = await run(ActionRegistrarValoracion(), tracker)
    assert responses(messages) == ["utter_valoracion_baja"]
    assert _stored(f"baja-{score}") == [("valoracion", score, int(score))]
    assert slot_events(events) == {"valoracion": score}


async def test_a_lone_score_read_as_another_number_is_still_the_score() -> None:
    tracker = make_tracker(
        intent="valorar", text="5", entities=[{"entity": "codigo_postal", "value": "5"}]
    )
    tracker.sender_id = "nota-sin-entidad"
    messages, events = await run(ActionRegistrarValoracion(), tracker)
    assert responses(messages) == ["utter_gracias_valoracion"]
    assert slot_events(events) == {"valoracion": "5"}
    assert _stored("nota-sin-entidad") == [("valoracion", "5", 5)]


@pytest.mark.parametrize("score", ["7", "0", "siete", None])
async def test_score_that_is_not_one_to_five_is_asked_again(score: str | None) -> None:
    tracker = _tracker("nota-invalida", text=str(score), intent="valorar", score=score)
    messages, events = await run(ActionRegistrarValoracion(), tracker)
    assert responses(messages) == ["utter_valoracion_invalida"]
    assert slot_events(events) == {"valoracion": None}
    assert _stored("nota-invalida") == []


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_while_keeping_feedback_apologises() -> None:
    opinion = _tracker("caida", text="Muy buena atención", intent="opinar")
    score = _tracker("caida", text="5", intent="valorar", score="5")
    for action, tracker in (
        (ActionRegistrarOpinion(), opinion),
        (ActionRegistrarValoracion(), score),
    ):
        messages, events = await run(action, tracker)
        assert responses(messages) == ["utter_error_tienda"] and events == []


@pytest.mark.parametrize(
    ("said", "score"),
    [
        ("muy bien", 5),
        ("bien", 4),
        ("más o menos", 3),
        ("mal", 2),
        ("muy mal", 1),
        ("fatal", 1),
        ("un 4", 4),
        ("cinco", 5),
        ("tres, bien", 3),
        ("regular, tirando a mal", 3),
    ],
)
def test_rating_words_become_scores(said: str, score: int) -> None:
    from actions.feedback import _score

    tracker = make_tracker(
        intent="valorar", text=said, entities=[{"entity": "valoracion", "value": said}]
    )
    assert _score(tracker) == score


def _after_rating_question(
    conversation: str, *, text: str, intent: str, asked: str = "utter_pedir_valoracion"
) -> Any:
    """The shopper's answer right after the bot asked for a score (``asked``)."""
    tracker = make_tracker(
        intent=intent,
        text=text,
        events=[
            {"event": "user", "text": "¿dónde está mi pedido?"},
            {"event": "bot", "text": "Tu pedido está en camino.", "metadata": {}},
            {"event": "bot", "text": "Del 1 al 5…", "metadata": {"utter_action": asked}},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text},
        ],
    )
    tracker.sender_id = conversation
    return tracker


@pytest.mark.parametrize(
    ("said", "intent", "score", "thanks"),
    [
        ("muy bien, gracias", "agradecer", 5, "utter_gracias_valoracion"),
        ("cuatro, gracias por la paciencia", "agradecer", 4, "utter_gracias_valoracion"),
        ("5!! gracias 😊", "agradecer", 5, "utter_gracias_valoracion"),
        ("excelente", "opinar", 5, "utter_gracias_valoracion"),
        ("fatal, no encontraba nada", "opinar", 1, "utter_valoracion_baja"),
        ("normal, ni bien ni mal", "opinar", 3, "utter_gracias_valoracion"),
        ("no me ayudaste bien", "opinar", None, "utter_gracias_opinion"),
        ("no estuvo mal, gracias", "agradecer", None, "utter_agradecer"),
        ("fatal", "opinar", 1, "utter_valoracion_baja"),
    ],
)
async def test_thanks_or_opinion_that_answers_the_rating_question_is_the_score(
    said: str, intent: str, score: int | None, thanks: str
) -> None:
    conversation = f"implicita-{intent}-{said}"
    action = ActionAgradecer() if intent == "agradecer" else ActionRegistrarOpinion()
    messages, events = await run(
        action, _after_rating_question(conversation, text=said, intent=intent)
    )
    assert responses(messages) == [thanks]
    if score is None and intent == "opinar":  # negated: an opinion, kept as one
        assert _stored(conversation) == [("opinion", said, None)]
    elif score is None:
        assert _stored(conversation) == []
    else:
        assert _stored(conversation) == [("valoracion", said, score)]
        assert slot_events(events) == {"valoracion": str(score)}


async def test_the_second_ask_for_a_score_counts_too() -> None:
    tracker = _after_rating_question(
        "implicita-reintento",
        text="bastante bien, gracias",
        intent="agradecer",
        asked="utter_valoracion_invalida",
    )
    messages, _ = await run(ActionAgradecer(), tracker)
    assert responses(messages) == ["utter_gracias_valoracion"]
    assert _stored("implicita-reintento") == [("valoracion", "bastante bien, gracias", 4)]


@pytest.mark.parametrize("said", ["gracias", "muchas gracias, una maravilla de atención"])
async def test_plain_thanks_after_the_question_is_only_thanks(said: str) -> None:
    conversation = f"solo-gracias-{len(said)}"
    tracker = _after_rating_question(conversation, text=said, intent="agradecer")
    messages, events = await run(ActionAgradecer(), tracker)
    assert responses(messages) == ["utter_agradecer"] and events == []
    assert _stored(conversation) == []


async def test_rating_words_elsewhere_in_the_conversation_are_not_a_score() -> None:
    """Thanks for an answer that asked nothing is thanks; an opinion is an opinion."""
    thanks = make_tracker(intent="agradecer", text="muy bien, gracias")
    thanks.sender_id = "sin-pregunta"
    messages, events = await run(ActionAgradecer(), thanks)
    assert responses(messages) == ["utter_agradecer"] and events == []
    opinion = _tracker("sin-pregunta", text="excelente", intent="opinar")
    messages, _ = await run(ActionRegistrarOpinion(), opinion)
    assert responses(messages) == ["utter_gracias_opinion"]
    assert _stored("sin-pregunta") == [("opinion", "excelente", None)]
