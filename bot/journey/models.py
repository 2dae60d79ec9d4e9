"""The journey log's tables: conversations, their turns, and the verified order's snapshot.

They live in the store's metadata (one Alembic history for the whole database) under a
``journey_`` prefix. Text is masked before it gets here and order numbers are hashed:
analysts read these tables, never the raw tracker.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.store.models import Base

SPEAKERS = ("shopper", "bot", "agent")
OUTCOMES = ("resuelta", "derivada", "abandonada", "sin_resolver")


class Conversation(Base):
    """One Rasa session of one sender: from ``session_started`` (or the first event) to the next."""

    __tablename__ = "journey_conversations"
    # Repeat contacts look for a later conversation of the same sender or order.
    __table_args__ = (
        Index("ix_journey_conversations_sender_started", "sender_id", "started_at"),
        Index("ix_journey_conversations_order_started", "order_hash", "started_at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(300), nullable=False, unique=True)  # "<sender>/<first event>"
    sender_id = Column(String(255), nullable=False, index=True)
    first_event_id = Column(Integer, nullable=False)
    last_event_id = Column(Integer, nullable=False)  # Rasa events.id already turned into rows
    channel = Column(String(40))
    started_at = Column(DateTime, nullable=False, index=True)
    last_activity_at = Column(DateTime, nullable=False, index=True)
    stage_path = Column(String(200), nullable=False, default="")  # "descubrimiento,compra"
    current_stage = Column(String(40))
    turns = Column(Integer, nullable=False, default=0)
    fallback_turns = Column(Integer, nullable=False, default=0)
    handoff = Column(Boolean, nullable=False, default=False)
    csat = Column(Integer)  # 1..5 when the shopper rated the help
    order_verified = Column(Boolean, nullable=False, default=False)
    order_hash = Column(String(64), index=True)  # HMAC of the verified order number
    # What the outcome would be if the conversation ended now; copied to ``outcome`` when it
    # goes quiet or a new session starts (bot.journey.outcome explains the rules).
    pending_outcome = Column(String(20), nullable=False, default="sin_resolver")
    outcome = Column(String(20), index=True)
    ended_at = Column(DateTime)
    # What the pain-point analysis groups by (bot.analytics): the last shopper intent that had
    # a stage of its own, and the last problem type or return reason the shopper gave.
    request_intent = Column(String(100))
    problem_category = Column(String(40))

    turn_rows = relationship("Turn", back_populates="conversation", order_by="Turn.turn")


class Turn(Base):
    """One message: the shopper's, the bot's or an agent's, with the stage it belongs to."""

    __tablename__ = "journey_turns"
    __table_args__ = (
        UniqueConstraint("conversation_pk", "turn"),
        # The analysis samples the most recent misunderstood messages of each stage.
        Index("ix_journey_turns_fallback_stage", "fallback", "stage"),
    )

    id = Column(Integer, primary_key=True)
    conversation_pk = Column(ForeignKey("journey_conversations.id"), nullable=False, index=True)
    turn = Column(Integer, nullable=False)  # 1-based position in the conversation
    event_id = Column(Integer, nullable=False, unique=True)  # Rasa events.id: replay dedup key
    timestamp = Column(DateTime, nullable=False, index=True)
    speaker = Column(String(10), nullable=False)
    text = Column(Text)  # masked; NULL once anonymised by retention
    intent = Column(String(100))
    confidence = Column(Float)
    second_intent = Column(String(100))
    second_confidence = Column(Float)
    entities = Column(Text)  # JSON list of {"entity", "value"}, values masked
    action = Column(String(100))  # for bot turns: the response or custom action that spoke
    stage = Column(String(40), index=True)
    fallback = Column(Boolean, nullable=False, default=False)
    handoff = Column(Boolean, nullable=False, default=False)
    latency_ms = Column(Integer)  # bot turns: time since the shopper's message

    conversation = relationship("Conversation", back_populates="turn_rows")


class OrderSnapshot(Base):
    """The verified order as it stood during the conversation: late or on time, in what status."""

    __tablename__ = "journey_order_snapshots"

    id = Column(Integer, primary_key=True)
    conversation_pk = Column(ForeignKey("journey_conversations.id"), nullable=False, unique=True)
    status = Column(String(20), nullable=False)
    shipment_status = Column(String(20))
    is_late = Column(Boolean, nullable=False, default=False)
    estimated_delivery = Column(Date)
    taken_at = Column(DateTime, nullable=False)
