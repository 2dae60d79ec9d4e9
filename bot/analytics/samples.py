"""Bounded samples of shoppers' messages for the language analysis (terms, clusters).

Reading text is the one thing the analysis does per row, so it is always capped: a pain
point's own messages (its most recent conversations), an even sample of the period's other
messages, and the most recent misunderstood messages per stage. Each sample picks
conversations first, then fetches their turns by key, so the cost does not grow with the log.
"""

from __future__ import annotations

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from bot.analytics.painpoints import KEY_COLUMNS, GroupKey, Sampled
from bot.analytics.period import Period
from bot.journey.models import Conversation, OrderSnapshot, Turn

GROUP_CONVERSATIONS = 80
BACKGROUND_CONVERSATIONS = 600
FALLBACKS_PER_STAGE = 300


def group_texts(*, session: Session, sample: list[Sampled]) -> list[str]:
    """Shopper messages of a group's sampled conversations (``painpoints.group_sample``)."""
    return _shopper_texts(session, [s.pk for s in sample])


def background_texts(
    *, session: Session, period: Period, limit: int = BACKGROUND_CONVERSATIONS
) -> list[tuple[GroupKey, str]]:
    """Shopper messages of about ``limit`` settled conversations spread evenly over the period,
    each with its conversation's group, so a group's "rest" can leave its own messages out."""
    settled = (period.conversation_filter(), Conversation.outcome.is_not(None))
    total = session.execute(select(func.count()).where(*settled)).scalar_one()
    step = max(1, total // limit)
    rows = session.execute(
        select(Conversation.id, *KEY_COLUMNS)
        .outerjoin(OrderSnapshot, OrderSnapshot.conversation_pk == Conversation.id)
        .where(*settled, Conversation.id % step == 0)
        .limit(limit)
    ).all()
    keys = {row[0]: GroupKey(*row[1:]) for row in rows}
    stmt = (
        select(Turn.conversation_pk, Turn.text)
        .where(Turn.conversation_pk.in_(list(keys)), Turn.speaker == "shopper")
        .where(Turn.text.is_not(None))
        .order_by(Turn.conversation_pk, Turn.turn)
    )
    return [(keys[pk], text) for pk, text in session.execute(stmt) if text.strip()]


def fallback_texts(
    *, session: Session, period: Period, limit: int = FALLBACKS_PER_STAGE
) -> dict[str | None, tuple[int, list[str]]]:
    """Per stage: how many misunderstood shopper messages there were, and the most recent ones.

    One pass over the misunderstood messages (index on fallback, stage): ``ROW_NUMBER`` and
    ``COUNT`` per stage pick the newest ``limit`` and count them all.
    """
    in_period = select(Conversation.id).where(period.conversation_filter())
    inner = (
        select(
            Turn.stage,
            Turn.text,
            func.row_number().over(partition_by=Turn.stage, order_by=Turn.id.desc()).label("n"),
            func.count().over(partition_by=Turn.stage).label("total"),
        )
        .where(
            Turn.fallback == true(),
            Turn.speaker == "shopper",
            Turn.conversation_pk.in_(in_period),
        )
        .subquery()
    )
    result: dict[str | None, tuple[int, list[str]]] = {}
    rows = session.execute(
        select(inner.c.stage, inner.c.text, inner.c.total)
        .where(inner.c.n <= limit)
        .order_by(inner.c.stage, inner.c.n)
    )
    for stage, text, total in rows:
        _count, texts = result.setdefault(stage, (int(total), []))
        if text and text.strip():
            texts.append(text)
    return result


def _shopper_texts(session: Session, conversation_ids: list[int]) -> list[str]:
    if not conversation_ids:
        return []
    texts = session.scalars(
        select(Turn.text)
        .where(
            Turn.conversation_pk.in_(conversation_ids),
            Turn.speaker == "shopper",
            Turn.text.is_not(None),
        )
        .order_by(Turn.conversation_pk, Turn.turn)
    ).all()
    return [t for t in texts if t.strip()]
