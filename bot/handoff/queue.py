"""The handoff queue: open, claim, hand back and close requests for a person.

Every state change is one conditional UPDATE, so two agents clicking "claim" on the
same conversation at once leave exactly one owner, on SQLite and PostgreSQL alike.
The action server (``action_handoff``) opens requests; the gateway does the rest.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.handoff.models import ACTIVE_STATUSES, REASONS, Agent, Handoff

ONLINE_WINDOW = timedelta(seconds=60)
# Minutes an agent spends per conversation, for the wait a shopper is told.
MINUTES_PER_CONVERSATION = 4


class HandoffError(Exception):
    """A queue operation that cannot be done; ``str()`` says why, in English, for logs."""


class HandoffNotFound(HandoffError):
    pass


class AlreadyTaken(HandoffError):
    """Another agent claimed it first, or it is no longer waiting."""


class NotYours(HandoffError):
    """Only the agent who claimed a conversation may reply, hand it back or close it."""


def open_handoff(
    session: Session,
    *,
    sender_id: str,
    reason: str,
    stage: str | None,
    summary: str,
    context: dict[str, Any],
    now: datetime | None = None,
) -> Handoff:
    """Queue a request; a conversation already waiting or with an agent keeps its request."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}")
    existing = active_handoff(session, sender_id)
    if existing is not None:
        return existing
    handoff = Handoff(
        sender_id=sender_id,
        reason=reason,
        stage=stage,
        summary=summary,
        context=json.dumps(context, ensure_ascii=False, default=str),
        status="en_cola",
        queued_at=now or datetime.utcnow(),
    )
    session.add(handoff)
    session.flush()
    return handoff


def _newest_active(sender_id: str, *columns: Any) -> Select:
    return (
        select(*columns)
        .where(Handoff.sender_id == sender_id, Handoff.status.in_(ACTIVE_STATUSES))
        .order_by(Handoff.id.desc())
        .limit(1)
    )


def active_handoff(session: Session, sender_id: str) -> Handoff | None:
    """The request that gives this conversation to a person (waiting or claimed), if any."""
    return session.scalars(_newest_active(sender_id, Handoff)).first()


def active_handoff_reason(session: Session, sender_id: str) -> tuple[int, str] | None:
    """(id, reason) of that request: the gateway asks on every turn, so no context packet."""
    row = session.execute(_newest_active(sender_id, Handoff.id, Handoff.reason)).first()
    return None if row is None else (int(row.id), str(row.reason))


def waiting(session: Session) -> list[Handoff]:
    """The queue, longest wait first."""
    return list(
        session.scalars(
            select(Handoff)
            .where(Handoff.status == "en_cola")
            .order_by(Handoff.queued_at, Handoff.id)
        )
    )


def agents_online(session: Session, now: datetime | None = None) -> int:
    """Agents available and seen by the console within the last minute."""
    since = (now or datetime.utcnow()) - ONLINE_WINDOW
    count = session.scalar(
        select(func.count(Agent.id)).where(
            Agent.role == "agente",
            Agent.active.is_(True),
            Agent.available.is_(True),
            Agent.last_seen_at >= since,
        )
    )
    return int(count or 0)


def expected_wait_minutes(session: Session, handoff: Handoff, now: datetime | None = None) -> int:
    """A plain estimate: conversations ahead of this one, shared among the agents online."""
    ahead = session.scalar(
        select(func.count(Handoff.id)).where(
            Handoff.status == "en_cola", Handoff.queued_at < handoff.queued_at
        )
    )
    agents = max(agents_online(session, now), 1)
    return max(1, round((int(ahead or 0) + 1) * MINUTES_PER_CONVERSATION / agents))


def _get(session: Session, handoff_id: int) -> Handoff:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise HandoffNotFound(f"handoff {handoff_id} does not exist")
    return handoff


def claim(session: Session, handoff_id: int, agent_id: int, now: datetime | None = None) -> Handoff:
    """Give a waiting conversation to one agent; the second of two claims gets AlreadyTaken."""
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "en_cola")
        .values(status="atendida", agent_id=agent_id, claimed_at=now or datetime.utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        _get(session, handoff_id)
        raise AlreadyTaken(f"handoff {handoff_id} is not waiting any more")
    handoff = _get(session, handoff_id)
    session.refresh(handoff)
    return handoff


def owned(session: Session, handoff_id: int, agent_id: int) -> Handoff:
    """The request, if this agent holds it now."""
    handoff = _get(session, handoff_id)
    if handoff.status != "atendida" or handoff.agent_id != agent_id:
        raise NotYours(f"handoff {handoff_id} is not held by agent {agent_id}")
    return handoff


def hand_back(
    session: Session, handoff_id: int, agent_id: int, now: datetime | None = None
) -> Handoff:
    """The agent returns the conversation to the bot (the gateway resumes Rasa)."""
    handoff = owned(session, handoff_id, agent_id)
    handoff.status = "devuelta"
    handoff.returned_at = now or datetime.utcnow()
    session.flush()
    return handoff


def close(
    session: Session,
    handoff_id: int,
    agent_id: int,
    *,
    stage: str,
    category: str,
    stages: Collection[str],
    note: str = "",
    now: datetime | None = None,
) -> Handoff:
    """Record the agent's disposition: the stage and problem category the conversation really had.

    A request already handed back can still be closed, so the disposition is never lost.
    ``stages`` are the journey's stage names (journey.yml), which an analyst may change.
    """
    if stage not in stages:
        raise ValueError(f"unknown stage {stage!r}")
    handoff = _get(session, handoff_id)
    if handoff.agent_id != agent_id or handoff.status not in ("atendida", "devuelta"):
        raise NotYours(f"handoff {handoff_id} is not held by agent {agent_id}")
    handoff.status = "cerrada"
    handoff.closed_at = now or datetime.utcnow()
    handoff.disposition_stage = stage
    handoff.disposition_category = category
    handoff.disposition_note = note.strip() or None
    session.flush()
    return handoff


def to_ticket(session: Session, handoff: Handoff, ticket_number: str) -> Handoff:
    """Nobody can take it now: the request becomes a ticket and leaves the live queue."""
    handoff.status = "ticket"
    handoff.ticket_number = ticket_number
    handoff.closed_at = datetime.utcnow()
    session.flush()
    return handoff


def touch_agent(session: Session, agent_id: int, now: datetime | None = None) -> None:
    """The console is open: the agent counts as online for another minute."""
    session.execute(
        update(Agent).where(Agent.id == agent_id).values(last_seen_at=now or datetime.utcnow())
    )
