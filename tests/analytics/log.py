"""Write small hand-made journey logs for the analytics tests: one call per conversation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.journey.models import Conversation, OrderSnapshot, Turn

_ids = itertools.count(7_000_000)  # event ids well above anything the other tests write


@dataclass
class Said:
    """A shopper message (``bot`` False) or a bot reply, with its stage."""

    text: str
    stage: str | None = None
    fallback: bool = False
    bot: bool = False


def conversation(
    db: Session,
    sender: str,
    started: datetime,
    path: str,
    outcome: str | None,
    *,
    said: list[Said] | None = None,
    seconds: int = 60,
    csat: int | None = None,
    handoff: bool | None = None,
    order_hash: str | None = None,
    intent: str | None = None,
    category: str | None = None,
    order_status: str | None = None,
    order_late: bool = False,
    channel: str = "rest",
) -> Conversation:
    """One conversation and its turns; the last stage of ``path`` is where it ended."""
    said = said or [Said("hola")]
    stages = path.split(",") if path else []
    first = next(_ids)
    row = Conversation(
        conversation_id=f"{sender}/{first}",
        sender_id=sender,
        first_event_id=first,
        last_event_id=first + len(said),
        channel=channel,
        started_at=started,
        last_activity_at=started + timedelta(seconds=seconds),
        stage_path=path,
        current_stage=stages[-1] if stages else None,
        turns=len(said),
        fallback_turns=sum(s.fallback and not s.bot for s in said),
        handoff=outcome == "derivada" if handoff is None else handoff,
        csat=csat,
        order_verified=order_hash is not None,
        order_hash=order_hash,
        pending_outcome=outcome or "sin_resolver",
        outcome=outcome,
        ended_at=started + timedelta(seconds=seconds) if outcome else None,
        request_intent=intent,
        problem_category=category,
    )
    db.add(row)
    db.flush()
    for number, line in enumerate(said, start=1):
        db.add(
            Turn(
                conversation_pk=row.id,
                turn=number,
                event_id=next(_ids),
                timestamp=started + timedelta(seconds=number),
                speaker="bot" if line.bot else "shopper",
                text=line.text,
                intent=None if line.bot else ("nlu_fallback" if line.fallback else intent),
                stage=line.stage or (stages[-1] if stages else None),
                fallback=line.fallback,
                handoff=False,
            )
        )
    if order_status is not None:
        db.add(
            OrderSnapshot(
                conversation_pk=row.id, status=order_status, is_late=order_late, taken_at=started
            )
        )
    db.flush()
    return row
