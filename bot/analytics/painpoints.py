"""Pain points: the stage × intent × problem × order-status groups where conversations go wrong.

A settled conversation belongs to exactly one group: the stage it ended in, its request
intent (the last shopper intent with a stage of its own), its problem category (problem type
or return reason) and the verified order's status and lateness when it was looked up. Its
outcome is **bad** if it was handed to a person, abandoned, had a misunderstood message, or
was rated 2 or less. Groups are ranked by ``bot.analytics.scoring.pain_score``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.analytics.period import Period
from bot.analytics.scoring import pain_score, wilson_lower_bound
from bot.analytics.sql import as_int, count_if
from bot.journey.models import Conversation, OrderSnapshot, Turn

MIN_GROUP = 5  # smaller groups are not ranked: too few to say anything about
KEY_COLUMNS = (
    Conversation.current_stage,
    Conversation.request_intent,
    Conversation.problem_category,
    OrderSnapshot.status,
    OrderSnapshot.is_late,
)


def bad_outcome() -> ColumnElement[bool]:
    """Handoff, abandonment, a misunderstood message, or a rating of 1 or 2."""
    return or_(
        Conversation.handoff.is_(True),
        Conversation.outcome == "abandonada",
        Conversation.fallback_turns > 0,
        and_(Conversation.csat.is_not(None), Conversation.csat <= 2),
    )


@dataclass(frozen=True)
class GroupKey:
    stage: str | None
    intent: str | None
    category: str | None
    order_status: str | None
    order_late: bool | None

    def matches(self) -> ColumnElement[bool]:
        """SQL condition for conversations of this group (NULL matches NULL)."""
        values = (self.stage, self.intent, self.category, self.order_status, self.order_late)
        return and_(*(c.is_not_distinct_from(v) for c, v in zip(KEY_COLUMNS, values, strict=True)))


@dataclass(frozen=True)
class GroupCounts:
    size: int
    bad: int
    handoffs: int
    abandoned: int
    with_fallback: int
    low_csat: int


@dataclass(frozen=True)
class Term:
    """A word or phrase shoppers use more in the group than elsewhere (``z``: log-odds z-score)."""

    term: str
    z: float
    count: int


@dataclass(frozen=True)
class Transcript:
    conversation_id: str
    outcome: str | None
    lines: list[tuple[str, str]]  # (speaker, masked text)


@dataclass(frozen=True)
class PainPoint:
    """A ranked group; rates are 0–1, ``trend`` is the change in bad-outcome rate in points."""

    key: GroupKey
    counts: GroupCounts
    bad_rate: float
    baseline: float
    lower_bound: float
    score: float
    previous_size: int
    previous_bad_rate: float | None
    terms: list[Term] = field(default_factory=list)
    examples: list[Transcript] = field(default_factory=list)

    @property
    def trend(self) -> float | None:
        if self.previous_bad_rate is None:
            return None
        return self.bad_rate - self.previous_bad_rate


def _group_query(period: Period):  # type: ignore[no-untyped-def]
    c = Conversation
    return (
        select(
            *KEY_COLUMNS,
            func.count(),
            count_if(bad_outcome()),
            count_if(c.handoff.is_(True)),
            count_if(c.outcome == "abandonada"),
            count_if(c.fallback_turns > 0),
            count_if(and_(c.csat.is_not(None), c.csat <= 2)),
        )
        .select_from(c)
        .outerjoin(OrderSnapshot, OrderSnapshot.conversation_pk == c.id)
        .where(period.conversation_filter(), c.outcome.is_not(None))
        .group_by(*KEY_COLUMNS)
    )


def group_counts(*, session: Session, period: Period) -> dict[GroupKey, GroupCounts]:
    """Every group of the period with its counts (one GROUP BY query)."""
    return {
        GroupKey(*row[:5]): GroupCounts(*(as_int(v) for v in row[5:]))
        for row in session.execute(_group_query(period))
    }


def rank_pain_points(
    *, session: Session, period: Period, top: int = 10, min_size: int = MIN_GROUP
) -> list[PainPoint]:
    """The ``top`` groups worse than the rest of their stage, best-supported first.

    The baseline is the bad-outcome rate of the other conversations that ended in the same
    stage; a group that is its whole stage is compared with every other stage instead.
    """
    groups = group_counts(session=session, period=period)
    previous = group_counts(session=session, period=period.previous())
    stage_size: dict[str | None, int] = defaultdict(int)
    stage_bad: dict[str | None, int] = defaultdict(int)
    for key, counts in groups.items():
        stage_size[key.stage] += counts.size
        stage_bad[key.stage] += counts.bad
    total_size, total_bad = sum(stage_size.values()), sum(stage_bad.values())
    ranked: list[PainPoint] = []
    for key, counts in groups.items():
        if counts.size < min_size:
            continue
        rest_size = stage_size[key.stage] - counts.size
        rest_bad = stage_bad[key.stage] - counts.bad
        if rest_size == 0:
            rest_size, rest_bad = total_size - counts.size, total_bad - counts.bad
        baseline = rest_bad / rest_size if rest_size else 0.0
        score = pain_score(counts.bad, counts.size, baseline)
        if score <= 0:
            continue
        before = previous.get(key)
        ranked.append(
            PainPoint(
                key=key,
                counts=counts,
                bad_rate=counts.bad / counts.size,
                baseline=baseline,
                lower_bound=wilson_lower_bound(counts.bad, counts.size),
                score=score,
                previous_size=before.size if before else 0,
                previous_bad_rate=before.bad / before.size if before and before.size else None,
            )
        )
    ranked.sort(key=lambda p: (-p.score, -p.counts.size))
    return ranked[:top]


@dataclass(frozen=True)
class Sampled:
    """A conversation of a group's sample: the key, its id, its outcome, whether it went badly."""

    pk: int
    conversation_id: str
    outcome: str | None
    bad: bool


def group_samples(
    *, session: Session, period: Period, keys: list[GroupKey], limit: int
) -> dict[GroupKey, list[Sampled]]:
    """Each group's ``limit`` most recent settled conversations, for all groups in one scan
    (``ROW_NUMBER`` per group), newest first."""
    if not keys:
        return {}
    c = Conversation
    rank = func.row_number().over(partition_by=KEY_COLUMNS, order_by=c.id.desc())
    inner = (
        select(
            *KEY_COLUMNS,
            c.id,
            c.conversation_id,
            c.outcome,
            case((bad_outcome(), True), else_=False).label("bad"),
            rank.label("rank"),
        )
        .outerjoin(OrderSnapshot, OrderSnapshot.conversation_pk == c.id)
        .where(
            period.conversation_filter(),
            c.outcome.is_not(None),
            or_(*(key.matches() for key in keys)),
        )
        .subquery()
    )
    stmt = select(inner).where(inner.c.rank <= limit).order_by(inner.c.rank)
    found: dict[GroupKey, list[Sampled]] = {key: [] for key in keys}
    for row in session.execute(stmt):
        key = GroupKey(*row[:5])
        if key in found:
            found[key].append(Sampled(int(row[5]), row[6], row[7], bool(row[8])))
    return found


def group_sample(*, session: Session, period: Period, key: GroupKey, limit: int) -> list[Sampled]:
    """One group's ``limit`` most recent settled conversations."""
    return group_samples(session=session, period=period, keys=[key], limit=limit)[key]


def transcripts(*, session: Session, sample: list[Sampled], limit: int = 3) -> list[Transcript]:
    """Masked transcripts of the sample's most recent bad conversations (others if too few)."""
    picked = sorted(sample, key=lambda s: not s.bad)[:limit]  # stable: most recent first
    lines: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, speaker, text in session.execute(
        select(Turn.conversation_pk, Turn.speaker, Turn.text)
        .where(Turn.conversation_pk.in_([s.pk for s in picked]))
        .order_by(Turn.conversation_pk, Turn.turn)
    ):
        lines[pk].append((speaker, text or ""))
    return [Transcript(s.conversation_id, s.outcome, lines[s.pk]) for s in picked]


def example_transcripts(
    *, session: Session, period: Period, key: GroupKey, limit: int = 3, recent: int = 80
) -> list[Transcript]:
    """Three masked transcripts from the group's ``recent`` latest conversations, bad first."""
    sample = group_sample(session=session, period=period, key=key, limit=recent)
    return transcripts(session=session, sample=sample, limit=limit)


def with_details(point: PainPoint, terms: list[Term], examples: list[Transcript]) -> PainPoint:
    return replace(point, terms=terms, examples=examples)
