"""What shoppers think of the help they got: free opinions and 1–5 scores, per conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.store.errors import InvalidInput
from bot.store.models import FEEDBACK_KINDS, Feedback
from bot.store.normalize import clean_text, normalize_code

MAX_TEXT = 2000
MAX_CONVERSATION_ID = 64
SCORES = range(1, 6)


def record_feedback(
    *,
    session: Session,
    conversation_id: str,
    kind: str,
    text: str | None = None,
    score: int | None = None,
    now: datetime | None = None,
) -> int:
    """Store one opinion or score and return its id.

    An opinion needs words and a score needs 1 to 5; anything else is ``InvalidInput``,
    so a row always means something an analyst can count.
    """
    now = now or datetime.utcnow()
    kind = normalize_code(kind, FEEDBACK_KINDS, "feedback_kind")
    conversation = (conversation_id or "").strip()
    if not conversation or len(conversation) > MAX_CONVERSATION_ID:
        raise InvalidInput("conversation_id", conversation)
    cleaned = clean_text(text, limit=MAX_TEXT) if text is not None else ""
    if kind == "opinion" and not cleaned:
        raise InvalidInput("opinion", text or "")
    if score is not None and (type(score) is not int or score not in SCORES):
        raise InvalidInput("score", str(score))
    if kind == "valoracion" and score is None:
        raise InvalidInput("score", "")
    feedback = Feedback(
        conversation_id=conversation,
        kind=kind,
        text=cleaned or None,
        score=score,
        created_at=now,
    )
    session.add(feedback)
    session.flush()
    return int(feedback.id)
