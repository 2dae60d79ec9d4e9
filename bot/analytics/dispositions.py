"""What agents said a handed-off conversation really was, against what the bot thought.

When an agent closes a handoff they record its stage and category (``handoff_requests``).
The bot's stage is the one it recorded at handoff time; the bot's category is the problem
category of the journey conversation the handoff came from: same sender, queued between
the conversation's start and its last activity. Only closed handoffs with a disposition
stage count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.analytics.period import Period
from bot.analytics.sql import as_int, count_if
from bot.handoff.models import Handoff
from bot.journey.models import Conversation

NO_VALUE = "sin_dato"


@dataclass(frozen=True)
class StageAgreement:
    """Of ``closed`` handoffs the bot put in ``stage``, the agent agreed on ``agreed``."""

    stage: str
    closed: int
    agreed: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.closed if self.closed else None


@dataclass(frozen=True)
class Correction:
    """``count`` times the agent changed ``kind`` (etapa or categoria) from ``bot`` to ``agent``."""

    kind: str
    bot: str
    agent: str
    count: int


@dataclass(frozen=True)
class Dispositions:
    agreement: list[StageAgreement]
    corrections: list[Correction]


def dispositions(*, session: Session, period: Period, top: int = 10) -> Dispositions:
    """Agreement per bot stage and the most common stage and category corrections."""
    closed = and_(
        Handoff.status == "cerrada",
        Handoff.disposition_stage.is_not(None),
        Handoff.queued_at >= period.start,
        Handoff.queued_at < period.end,
    )
    joined = (
        select(Handoff)
        .outerjoin(
            Conversation,
            and_(
                Conversation.sender_id == Handoff.sender_id,
                Conversation.started_at <= Handoff.queued_at,
                Conversation.last_activity_at >= Handoff.queued_at,
            ),
        )
        .where(closed)
    )
    if period.channel:
        joined = joined.where(Conversation.channel == period.channel)
    rows = joined.with_only_columns(
        func.coalesce(Handoff.stage, NO_VALUE).label("bot_stage"),
        Handoff.disposition_stage.label("agent_stage"),
        func.coalesce(Conversation.problem_category, NO_VALUE).label("bot_category"),
        func.coalesce(Handoff.disposition_category, NO_VALUE).label("agent_category"),
    ).subquery()
    agreement = [
        StageAgreement(stage, as_int(total), as_int(agreed))
        for stage, total, agreed in session.execute(
            select(rows.c.bot_stage, func.count(), count_if(rows.c.bot_stage == rows.c.agent_stage))
            .group_by(rows.c.bot_stage)
            .order_by(rows.c.bot_stage)
        )
    ]
    corrections = []
    for kind, bot, agent in (
        ("etapa", rows.c.bot_stage, rows.c.agent_stage),
        ("categoria", rows.c.bot_category, rows.c.agent_category),
    ):
        stmt = (
            select(bot, agent, func.count().label("n"))
            .where(bot != agent)
            .group_by(bot, agent)
            .order_by(func.count().desc(), bot, agent)
            .limit(top)
        )
        corrections += [Correction(kind, b, a, as_int(n)) for b, a, n in session.execute(stmt)]
    corrections.sort(key=lambda c: -c.count)
    return Dispositions(agreement, corrections[:top])
