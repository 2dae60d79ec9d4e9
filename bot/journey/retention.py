"""Forget old conversations: the journey log's text and Rasa's raw events after N days.

Anonymising (the default) keeps the journey log's numbers (stages, intents, outcomes,
timings) so trends stay comparable, and removes everything a person wrote or could be
recognised by: turn text, entities, the order hash, and free-text feedback. Deleting
removes the conversations outright. Rasa's tracker events are deleted in both modes: its
JSON holds the raw messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from bot.journey.models import Conversation, OrderSnapshot, Turn
from bot.journey.writer import RASA_EVENTS
from bot.store.models import Feedback


@dataclass(frozen=True)
class RetentionReport:
    conversations: int
    tracker_events: int
    feedback: int


def apply_retention(
    engine: Engine, days: int, *, delete_rows: bool = False, now: datetime | None = None
) -> RetentionReport:
    """Anonymise (or delete) what is older than ``days``; return how much was touched."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or datetime.utcnow()) - timedelta(days=days)
    is_old = Conversation.last_activity_at < cutoff
    old = select(Conversation.id).where(is_old).scalar_subquery()
    with Session(engine, future=True) as session, session.begin():
        count = session.scalar(select(func.count()).select_from(Conversation).where(is_old))
        if delete_rows:
            for table, column in (
                (Turn, Turn.conversation_pk),
                (OrderSnapshot, OrderSnapshot.conversation_pk),
            ):
                session.execute(
                    delete(table)
                    .where(column.in_(old))
                    .execution_options(synchronize_session=False)
                )
            session.execute(
                delete(Conversation).where(is_old).execution_options(synchronize_session=False)
            )
        else:
            session.execute(
                update(Turn)
                .where(Turn.conversation_pk.in_(old))
                .values(text=None, entities=None)
                .execution_options(synchronize_session=False)
            )
            session.execute(
                update(Conversation)
                .where(is_old)
                .values(order_hash=None)
                .execution_options(synchronize_session=False)
            )
        feedback = session.execute(
            update(Feedback)
            .where(Feedback.created_at < cutoff, Feedback.text.is_not(None))
            .values(text=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        try:
            with session.begin_nested():
                events = session.execute(
                    delete(RASA_EVENTS).where(
                        RASA_EVENTS.c.timestamp < cutoff.replace(tzinfo=timezone.utc).timestamp()
                    )
                ).rowcount
        except (OperationalError, ProgrammingError):
            events = 0  # no tracker store table in this database
    return RetentionReport(int(count or 0), int(events or 0), int(feedback or 0))
