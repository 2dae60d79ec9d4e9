"""The journey metrics, defined once: the CLI report, the dashboard and the exports all read these.

A conversation belongs to the stage it **ended** in (``current_stage``): that is where its
outcome happened, so a handoff in postventa is postventa's even if the shopper started by
asking about shipping. The one turn-level metric, the fallback turn rate, uses each turn's
own stage. Outcome rates are over **settled** conversations (outcome decided: the shopper
went quiet or started a new session); open ones count only in ``conversations``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from bot.analytics.paths import NO_STAGE
from bot.analytics.period import Period
from bot.analytics.sql import as_int, count_if, medians, plus_days, seconds_between
from bot.journey.models import Conversation, Turn

REPEAT_DAYS = 7
ALL_STAGES = None  # the ``stage`` of the overall row


@dataclass(frozen=True)
class StageMetrics:
    """One row of the metrics table; rates are 0–1 and None when their denominator is 0.

    - ``containment``: resolved (``resuelta``) without a person, over settled conversations.
    - ``handoff_rate``: handed to a person, over settled conversations.
    - ``abandonment_rate``: ``abandonada`` (left mid-form or right after a fallback), over settled.
    - ``fallback_conversation_rate``: conversations with at least one misunderstood shopper
      message, over all conversations; ``fallback_turn_rate``: misunderstood shopper messages
      over shopper messages, by each turn's own stage.
    - ``csat_average``: mean rating (1–5) of rated conversations; ``csat_response_rate``: rated
      over all conversations.
    - ``repeat_contact_rate``: conversations followed within 7 days of their start by another
      conversation of the same sender or about the same verified order (its hash), over all.
      The follow-up may fall after the period: it is what makes the first contact a failure.
    - ``median_resolution_seconds``: median time from start to last activity of resolved ones.
    """

    stage: str | None
    conversations: int
    settled: int
    turns_per_conversation: float | None
    containment: float | None
    handoff_rate: float | None
    abandonment_rate: float | None
    fallback_conversation_rate: float | None
    fallback_turn_rate: float | None
    csat_average: float | None
    csat_response_rate: float | None
    repeat_contact_rate: float | None
    median_resolution_seconds: float | None


@dataclass(frozen=True)
class _Counts:
    conversations: int = 0
    settled: int = 0
    turns: int = 0
    resolved: int = 0
    handoffs: int = 0
    abandoned: int = 0
    with_fallback: int = 0
    rated: int = 0
    csat_sum: int = 0
    repeats: int = 0
    shopper_turns: int = 0
    fallback_turns: int = 0

    def __add__(self, other: _Counts) -> _Counts:
        return _Counts(*(a + b for a, b in zip(_fields(self), _fields(other), strict=True)))


def _fields(counts: _Counts) -> tuple[int, ...]:
    return tuple(int(getattr(counts, name)) for name in counts.__dataclass_fields__)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def stage_metrics(*, session: Session, period: Period) -> list[StageMetrics]:
    """The overall row (``stage`` None) first, then one per ending stage, in the order found;
    conversations that never got a stage are under ``sin_etapa``."""
    counts = _conversation_counts(session, period)
    for stage, (shopper, fallback) in _turn_counts(session, period).items():
        base = counts.get(stage, _Counts())
        counts[stage] = base + _Counts(shopper_turns=shopper, fallback_turns=fallback)
    durations = _resolution_medians(session, period)
    overall = sum(counts.values(), _Counts())
    rows = [_row(ALL_STAGES, overall, durations.get("__all__"))]
    rows += [_row(stage, counts[stage], durations.get(stage)) for stage in counts]
    return rows


def _row(stage: str | None, c: _Counts, median: float | None) -> StageMetrics:
    return StageMetrics(
        stage=stage,
        conversations=c.conversations,
        settled=c.settled,
        turns_per_conversation=_rate(c.turns, c.conversations),
        containment=_rate(c.resolved, c.settled),
        handoff_rate=_rate(c.handoffs, c.settled),
        abandonment_rate=_rate(c.abandoned, c.settled),
        fallback_conversation_rate=_rate(c.with_fallback, c.conversations),
        fallback_turn_rate=_rate(c.fallback_turns, c.shopper_turns),
        csat_average=_rate(c.csat_sum, c.rated),
        csat_response_rate=_rate(c.rated, c.conversations),
        repeat_contact_rate=_rate(c.repeats, c.conversations),
        median_resolution_seconds=median,
    )


def repeat_contact(session: Session) -> ColumnElement[bool]:
    """True for a conversation followed within ``REPEAT_DAYS`` by one of its sender or order.

    Two correlated EXISTS, each an index range seek on (sender_id, started_at) or
    (order_hash, started_at); measured faster on SQLite than ``LEAD`` windows, which sort.
    """
    later, later_order = aliased(Conversation), aliased(Conversation)
    limit = plus_days(session, Conversation.started_at, REPEAT_DAYS)
    same_sender = exists().where(
        later.sender_id == Conversation.sender_id,
        later.started_at > Conversation.started_at,
        later.started_at <= limit,
    )
    same_order = exists().where(
        Conversation.order_hash.is_not(None),
        later_order.order_hash == Conversation.order_hash,
        later_order.started_at > Conversation.started_at,
        later_order.started_at <= limit,
    )
    return or_(same_sender, same_order)


def _conversation_counts(session: Session, period: Period) -> dict[str | None, _Counts]:
    c = Conversation
    settled = c.outcome.is_not(None)
    stage = func.coalesce(c.current_stage, NO_STAGE)
    stmt = (
        select(
            stage,
            func.count(),
            count_if(settled),
            func.coalesce(func.sum(c.turns), 0),
            count_if(and_(c.outcome == "resuelta", c.handoff.is_(False))),
            count_if(and_(settled, c.handoff.is_(True))),
            count_if(c.outcome == "abandonada"),
            count_if(c.fallback_turns > 0),
            func.count(c.csat),
            func.coalesce(func.sum(c.csat), 0),
            count_if(repeat_contact(session)),
        )
        .where(period.conversation_filter())
        .group_by(stage)
    )
    return {row[0]: _Counts(*(as_int(v) for v in row[1:])) for row in session.execute(stmt)}


def _turn_counts(session: Session, period: Period) -> dict[str | None, tuple[int, int]]:
    stage = func.coalesce(Turn.stage, NO_STAGE)
    in_period = select(Conversation.id).where(period.conversation_filter())
    stmt = (
        select(stage, func.count(), count_if(Turn.fallback.is_(True)))
        .where(Turn.conversation_pk.in_(in_period), Turn.speaker == "shopper")
        .group_by(stage)
    )
    return {row[0]: (as_int(row[1]), as_int(row[2])) for row in session.execute(stmt)}


def _resolution_medians(session: Session, period: Period) -> dict[object, float | None]:
    duration = seconds_between(session, Conversation.started_at, Conversation.last_activity_at)
    resolved = and_(period.conversation_filter(), Conversation.outcome == "resuelta")
    by_stage = medians(
        session,
        select(
            duration.label("seconds"), func.coalesce(Conversation.current_stage, NO_STAGE)
        ).where(resolved),
        grouped=True,
    )
    overall = medians(session, select(duration.label("seconds")).where(resolved), grouped=False)
    return {**by_stage, "__all__": overall.get(None)}
