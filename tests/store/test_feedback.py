"""A shopper's opinion or score of the help is kept for the analysts, exactly as given."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import InvalidInput
from bot.store.feedback import record_feedback
from bot.store.models import Feedback
from tests.conftest import NOW


def test_opinion_is_kept_with_its_conversation_and_cleaned(session: Session) -> None:
    row_id = record_feedback(
        session=session,
        conversation_id="conv-1",
        kind="opinion",
        text="  La web   va lenta\x00 al pagar con Bizum  ",
        now=NOW,
    )
    stored = session.get(Feedback, row_id)
    assert stored is not None
    assert (stored.conversation_id, stored.kind, stored.text, stored.score) == (
        "conv-1",
        "opinion",
        "La web va lenta al pagar con Bizum",
        None,
    )
    assert stored.created_at == NOW


@pytest.mark.parametrize("score", [1, 3, 5])
def test_every_score_from_one_to_five_is_recorded(session: Session, score: int) -> None:
    row_id = record_feedback(
        session=session, conversation_id="conv-2", kind="valoracion", score=score, now=NOW
    )
    assert session.scalar(select(Feedback.score).where(Feedback.id == row_id)) == score


@pytest.mark.parametrize("score", [0, 6, -1, True, None])
def test_score_outside_one_to_five_is_refused(session: Session, score: int | None) -> None:
    with pytest.raises(InvalidInput):
        record_feedback(session=session, conversation_id="conv-3", kind="valoracion", score=score)


@pytest.mark.parametrize(
    ("conversation_id", "kind", "text"),
    [
        ("conv-4", "opinion", "   "),
        ("conv-4", "queja", "Todo mal"),
        ("", "opinion", "Todo bien"),
        ("x" * 65, "opinion", "Todo bien"),
    ],
)
def test_empty_opinion_unknown_kind_or_bad_conversation_is_refused(
    session: Session, conversation_id: str, kind: str, text: str
) -> None:
    with pytest.raises(InvalidInput):
        record_feedback(session=session, conversation_id=conversation_id, kind=kind, text=text)
    assert session.scalars(select(Feedback).where(Feedback.conversation_id == "conv-4")).all() == []


def test_long_opinion_is_cut_at_two_thousand_characters(session: Session) -> None:
    row_id = record_feedback(
        session=session, conversation_id="conv-5", kind="opinion", text="muy bien " * 400
    )
    stored = session.get(Feedback, row_id)
    assert stored is not None and len(stored.text) == 2000
