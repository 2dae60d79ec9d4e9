"""Tables for people taking over conversations, and for what the gateway receives.

They live in the store's metadata (one Alembic history for the whole database):
``handoff_`` tables for agents and handoff requests, ``gateway_`` tables for the
shopper messages the gateway accepted (so a resend is answered once and nothing is
lost when Rasa is down) and the photos shoppers upload.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.store.models import Base

ROLES = ("agente", "analista")
# Why a conversation went to a person (the console shows ``REASON_LABELS``).
REASONS = (
    "pidio_persona",
    "fallback_repetido",
    "limite_verificacion",
    "problema_sin_resolver",
    "asistente_no_disponible",
)
# en_cola → atendida (an agent claimed it) → devuelta (back to the bot) or cerrada;
# ticket: nobody could take it (outside hours, nobody online) and a ticket was created.
STATUSES = ("en_cola", "atendida", "devuelta", "cerrada", "ticket")
ACTIVE_STATUSES = ("en_cola", "atendida")


class Agent(Base):
    """A person who logs in to the console (agente) or the dashboard (analista)."""

    __tablename__ = "handoff_agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(255), nullable=False)  # argon2id
    role = Column(String(20), nullable=False, default="agente")
    active = Column(Boolean, nullable=False, default=True)
    # Online = available and seen (console websocket heartbeat) within the last minute.
    available = Column(Boolean, nullable=False, default=True)
    last_seen_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False)


class Handoff(Base):
    """One request for a person, from the moment the bot gives up until it is closed."""

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)  # Rasa's conversation id
    reason = Column(String(40), nullable=False)
    stage = Column(String(40))
    summary = Column(Text, nullable=False, default="")
    context = Column(Text, nullable=False, default="{}")  # JSON: intents, slots, order, problem
    status = Column(String(20), nullable=False, default="en_cola", index=True)
    queued_at = Column(DateTime, nullable=False, index=True)
    claimed_at = Column(DateTime)
    agent_id = Column(ForeignKey("handoff_agents.id"), index=True)
    returned_at = Column(DateTime)
    closed_at = Column(DateTime)
    ticket_number = Column(String(16))
    # What the agent says the conversation really was: the analysts' ground truth.
    disposition_stage = Column(String(40))
    disposition_category = Column(String(40))
    disposition_note = Column(Text)

    agent = relationship("Agent")


class GatewayMessage(Base):
    """A shopper message the gateway accepted, keyed by the id the widget gave it."""

    __tablename__ = "gateway_messages"
    __table_args__ = (UniqueConstraint("session_id", "message_id"),)

    id = Column(Integer, primary_key=True)
    session_id = Column(String(255), nullable=False, index=True)
    message_id = Column(String(64), nullable=False)
    channel = Column(String(20), nullable=False)  # socketio | rest
    text = Column(Text, nullable=False)
    received_at = Column(DateTime, nullable=False)
    # pendiente (sent to Rasa), respondido, fallido (Rasa down or too slow: kept for a person)
    status = Column(String(20), nullable=False, default="pendiente")
    replies = Column(
        Text
    )  # JSON list of the replies sent back, for an identical answer to a resend
    answered_at = Column(DateTime)


class Upload(Base):
    """A photo a shopper sent (a broken item, a wrong label), linked to their ticket."""

    __tablename__ = "gateway_uploads"

    id = Column(Integer, primary_key=True)
    token = Column(String(64), nullable=False, unique=True)  # unguessable name in URLs
    session_id = Column(String(255), nullable=False, index=True)
    filename = Column(String(255), nullable=False)  # as the shopper named it, for agents
    content_type = Column(String(40), nullable=False)
    size_bytes = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    path = Column(String(500), nullable=False)  # relative to the uploads folder
    ticket_number = Column(String(16), index=True)
    created_at = Column(DateTime, nullable=False)
