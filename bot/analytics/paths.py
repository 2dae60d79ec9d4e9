"""How conversations move between journey stages, and where they end.

``stage_path`` holds each visit in order ("consideracion,compra,postventa"). The database
groups conversations by path (and outcome) and only those distinct paths, a few hundred
at most, are split into transitions here: the rows themselves never leave SQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.analytics.period import Period
from bot.journey.models import Conversation

START, OPEN = "inicio", "abierta"  # the path's source node; the outcome of an unsettled one


@dataclass(frozen=True)
class Transition:
    """``count`` conversations went from ``source`` straight to ``target`` (``inicio`` first)."""

    source: str
    target: str
    count: int


@dataclass(frozen=True)
class Ending:
    """``count`` conversations ended in ``stage`` with ``outcome`` (``abierta`` if not settled)."""

    stage: str
    outcome: str
    count: int


@dataclass(frozen=True)
class StageReach:
    """Funnel row: conversations that visited ``stage`` at some point, and that ended there."""

    stage: str
    reached: int
    ended: int


@dataclass(frozen=True)
class JourneyPaths:
    transitions: list[Transition]
    endings: list[Ending]
    reach: list[StageReach]


NO_STAGE = "sin_etapa"  # conversations with only small talk never got a stage


def journey_paths(*, session: Session, period: Period) -> JourneyPaths:
    """Transitions, endings and the funnel for the period's conversations."""
    stmt = (
        select(Conversation.stage_path, Conversation.outcome, func.count())
        .where(period.conversation_filter())
        .group_by(Conversation.stage_path, Conversation.outcome)
    )
    transitions: Counter[tuple[str, str]] = Counter()
    endings: Counter[tuple[str, str]] = Counter()
    reached: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    for path_text, outcome, count in session.execute(stmt):
        path = [stage for stage in (path_text or "").split(",") if stage] or [NO_STAGE]
        for source, target in zip([START, *path], path, strict=False):
            transitions[(source, target)] += count
        endings[(path[-1], outcome or OPEN)] += count
        for stage in set(path):
            reached[stage] += count
        ended[path[-1]] += count
    return JourneyPaths(
        transitions=[Transition(s, t, n) for (s, t), n in transitions.most_common()],
        endings=[Ending(s, o, n) for (s, o), n in sorted(endings.items())],
        reach=[StageReach(s, reached[s], ended[s]) for s in reached],
    )
