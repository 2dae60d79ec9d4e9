"""Bring the journey log up to date with Rasa's tracker store, one sender at a time.

Rasa's SQL tracker store (table ``events``, same database) is the source of truth: the
writer re-reads a sender's current conversation from it, rebuilds the rows with
``bot.journey.timeline`` and inserts the turns whose Rasa event id is not stored yet.
Live updates and the replay after a restart are the same operation, so neither can
duplicate a turn, and a crash between Rasa's write and ours loses nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from bot.journey.models import Conversation, OrderSnapshot, Turn
from bot.journey.stages import JourneyMap
from bot.journey.timeline import ConversationRecord, TurnRecord, build_conversations
from bot.store.errors import InvalidInput
from bot.store.normalize import normalize_order_number
from bot.store.snapshots import order_status_snapshot

log = logging.getLogger(__name__)

# Rasa's own table, described here only to read it: it is not in our metadata, so Alembic
# never touches it.
RASA_EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("data", Text),
)


def hash_order_number(number: str, secret: str) -> str:
    """Keyed hash, so analysts can count repeat contacts about an order without seeing it."""
    try:
        normalized = normalize_order_number(number)
    except InvalidInput:
        normalized = number.strip().upper()
    return hmac.new(secret.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def utcnow() -> datetime:
    return datetime.utcnow()


class JourneyWriter:
    """Turns Rasa's stored events into journey-log rows; every method is safe to repeat."""

    def __init__(self, engine: Engine, journey: JourneyMap, secret: str, idle_seconds: float):
        self.engine = engine
        self.journey = journey
        self.secret = secret
        self.idle = timedelta(seconds=idle_seconds)

    def sync(self, senders: Iterable[str]) -> dict[str, float]:
        """Update each sender's conversations; return the newest Rasa timestamp now logged."""
        seen: dict[str, float] = {}
        for sender in senders:
            with Session(self.engine, future=True) as session, session.begin():
                seen[sender] = self._sync_sender(session, sender)
        return seen

    def behind(self) -> list[str]:
        """Senders with events in the tracker store that the journey log has not caught up on."""
        logged = (
            select(func.max(Conversation.last_event_id))
            .where(Conversation.sender_id == RASA_EVENTS.c.sender_id)
            .scalar_subquery()
        )
        stmt = (
            select(RASA_EVENTS.c.sender_id)
            .group_by(RASA_EVENTS.c.sender_id)
            .having(func.max(RASA_EVENTS.c.id) > func.coalesce(logged, 0))
        )
        try:
            with self.engine.connect() as connection:
                return list(connection.execute(stmt).scalars())
        except (OperationalError, ProgrammingError) as error:
            if "events" in str(error):  # Rasa has not created its table yet: nothing to replay
                return []
            raise

    def close_idle(self, now: datetime | None = None) -> int:
        """Settle the outcome of conversations quiet for longer than the idle window."""
        cutoff = (now or utcnow()) - self.idle
        stmt = (
            update(Conversation)
            .where(Conversation.outcome.is_(None), Conversation.last_activity_at < cutoff)
            .values(outcome=Conversation.pending_outcome, ended_at=Conversation.last_activity_at)
            .execution_options(synchronize_session=False)
        )
        with Session(self.engine, future=True) as session, session.begin():
            return int(session.execute(stmt).rowcount or 0)

    def _sync_sender(self, session: Session, sender: str) -> float:
        known = {
            c.first_event_id: c
            for c in session.scalars(
                select(Conversation)
                .where(Conversation.sender_id == sender)
                .order_by(Conversation.first_event_id.desc())
                .limit(1)
            )
        }
        start = min(known, default=0)
        rows = session.execute(
            select(RASA_EVENTS.c.id, RASA_EVENTS.c.timestamp, RASA_EVENTS.c.data)
            .where(RASA_EVENTS.c.sender_id == sender, RASA_EVENTS.c.id >= start)
            .order_by(RASA_EVENTS.c.id)
        ).all()
        events = [(row.id, json.loads(row.data)) for row in rows]
        for record in build_conversations(sender, events, self.journey):
            row = known.get(record.first_event_id)
            if row is None:
                row = session.scalars(
                    select(Conversation).where(
                        Conversation.conversation_id == record.conversation_id
                    )
                ).one_or_none()
            self._save(session, record, row)
        return max((float(row.timestamp or 0) for row in rows), default=0.0)

    def _save(self, session: Session, record: ConversationRecord, row: Conversation | None) -> None:
        if row is None:
            row = Conversation(
                conversation_id=record.conversation_id,
                sender_id=record.sender_id,
                first_event_id=record.first_event_id,
            )
            session.add(row)
        grew = row.last_event_id is not None and record.last_event_id > row.last_event_id
        row.last_event_id = record.last_event_id
        row.channel = record.channel
        row.started_at = record.started_at
        row.last_activity_at = record.last_activity_at
        row.stage_path = ",".join(record.stage_path)
        row.current_stage = record.current_stage
        row.turns = len(record.turns)
        row.fallback_turns = record.fallback_turns
        row.handoff = record.handoff
        row.csat = record.csat
        row.request_intent = record.request_intent
        row.problem_category = record.problem_category
        row.pending_outcome = record.pending_outcome
        if record.verified_order and not row.order_verified:
            row.order_verified = True
            row.order_hash = hash_order_number(record.verified_order, self.secret)
        if record.ended:
            row.outcome, row.ended_at = record.pending_outcome, record.last_activity_at
        elif grew and row.outcome is not None:
            row.outcome, row.ended_at = None, None  # the shopper came back: not over yet
        session.flush()
        self._add_turns(session, row, record.turns)
        if record.stage_path:
            session.execute(
                update(Turn)
                .where(Turn.conversation_pk == row.id, Turn.stage.is_(None))
                .values(stage=record.stage_path[0])
                .execution_options(synchronize_session=False)
            )
        if record.verified_order and row.order_hash:
            self._snapshot(session, row, record.verified_order)

    def _add_turns(self, session: Session, row: Conversation, turns: list[TurnRecord]) -> None:
        stored = set(session.scalars(select(Turn.event_id).where(Turn.conversation_pk == row.id)))
        session.add_all(
            Turn(conversation_pk=row.id, **_turn_columns(t))
            for t in turns
            if t.event_id not in stored
        )

    def _snapshot(self, session: Session, row: Conversation, number: str) -> None:
        exists = session.scalars(
            select(OrderSnapshot.id).where(OrderSnapshot.conversation_pk == row.id)
        ).first()
        if exists is not None:
            return
        snapshot = order_status_snapshot(session=session, number=number)
        if snapshot is None:
            return
        session.add(
            OrderSnapshot(
                conversation_pk=row.id,
                status=snapshot.status,
                shipment_status=snapshot.shipment_status,
                is_late=snapshot.is_late,
                estimated_delivery=snapshot.estimated_delivery,
                taken_at=utcnow(),
            )
        )


def _turn_columns(turn: TurnRecord) -> dict[str, Any]:
    return {
        "turn": turn.turn,
        "event_id": turn.event_id,
        "timestamp": turn.timestamp,
        "speaker": turn.speaker,
        "text": turn.text,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "second_intent": turn.second_intent,
        "second_confidence": turn.second_confidence,
        "entities": json.dumps(turn.entities, ensure_ascii=False) if turn.entities else None,
        "action": turn.action,
        "stage": turn.stage,
        "fallback": turn.fallback,
        "handoff": turn.handoff,
        "latency_ms": turn.latency_ms,
    }
