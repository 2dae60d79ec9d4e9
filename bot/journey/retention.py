"""Forget old conversations: the journey log's text and Rasa's raw events after N days.

Anonymising (the default) keeps the journey log's numbers (stages, intents, outcomes,
timings) so trends stay comparable, and removes everything a person wrote or could be
recognised by: turn text, entities, the order hash, and free-text feedback. Deleting
removes the conversations outright. Rasa's tracker events and the gateway's copy of
shopper messages are deleted in both modes: they hold the raw text. Handoff summaries
and context packets (raw too) are emptied; the handoff rows stay for the queue's numbers.
Shoppers' photos (a parcel label shows a name and an address) are deleted with their files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from bot.handoff.models import GatewayMessage, Handoff, Upload
from bot.journey.models import Conversation, OrderSnapshot, Turn
from bot.journey.writer import RASA_EVENTS
from bot.store.models import Feedback


@dataclass(frozen=True)
class RetentionReport:
    conversations: int
    tracker_events: int
    feedback: int
    gateway_messages: int = 0
    photos: int = 0


def apply_retention(
    engine: Engine,
    days: int,
    *,
    delete_rows: bool = False,
    now: datetime | None = None,
    uploads_dir: Path | None = None,
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
        messages = session.execute(
            delete(GatewayMessage)
            .where(GatewayMessage.received_at < cutoff)
            .execution_options(synchronize_session=False)
        ).rowcount
        photos = session.execute(
            select(Upload.id, Upload.path).where(Upload.created_at < cutoff)
        ).all()
        for _id, relative in photos:
            if uploads_dir is not None:
                (uploads_dir / relative).unlink(missing_ok=True)
        session.execute(
            delete(Upload)
            .where(Upload.id.in_([row.id for row in photos]))
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Handoff)
            .where(Handoff.queued_at < cutoff, Handoff.status.not_in(("en_cola", "atendida")))
            .values(summary="", context="{}", disposition_note=None)
            .execution_options(synchronize_session=False)
        )
        try:
            with session.begin_nested():
                events = session.execute(
                    delete(RASA_EVENTS).where(
                        RASA_EVENTS.c.timestamp < cutoff.replace(tzinfo=timezone.utc).timestamp()
                    )
                ).rowcount
        except (OperationalError, ProgrammingError):
            events = 0  # no tracker store table in this database
    return RetentionReport(
        int(count or 0), int(events or 0), int(feedback or 0), int(messages or 0), len(photos)
    )
