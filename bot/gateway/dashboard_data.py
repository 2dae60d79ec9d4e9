"""What the analysts' dashboard shows, computed by ``bot.analytics`` and narrowed by its filters.

Nothing here defines a metric: the report is ``build_report``'s, the trend is ``stage_metrics``
run over consecutive slices of the period, and the stage filter only keeps the rows about that
stage (its pain points are ``rank_pain_points``' ranking restricted to the stage). So the
dashboard, the CLI and the CSV files always agree.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.analytics.dispositions import Dispositions
from bot.analytics.language import Analyzer
from bot.analytics.metrics import StageMetrics, stage_metrics
from bot.analytics.painpoints import PainPoint, rank_pain_points
from bot.analytics.paths import NO_STAGE, JourneyPaths
from bot.analytics.period import Period
from bot.analytics.report import Report, build_report, explain_pain_points
from bot.analytics.tables import DECIMAL, NUMBER, PERCENT, TEXT, Table
from bot.journey.models import Conversation

TOP_PAIN_POINTS = 10
MAX_TREND_POINTS = 31


@dataclass(frozen=True)
class Trend:
    """One slice of the period and ``stage_metrics`` over it (overall row first)."""

    period: Period
    rows: list[StageMetrics]


@dataclass(frozen=True)
class Overview:
    """The whole period, before any stage filter: what the cache keeps."""

    report: Report
    channels: list[str]


def trend_periods(period: Period) -> list[Period]:
    """Days for up to a month, weeks up to half a year, longer slices beyond: at most 31."""
    if period.days <= MAX_TREND_POINTS:
        width = 1
    elif period.days <= 7 * 26:
        width = 7
    else:
        width = -(-period.days // MAX_TREND_POINTS)
    slices = []
    start = period.since
    while start <= period.until:
        end = min(start + timedelta(days=width - 1), period.until)
        slices.append(Period(start, end, period.channel))
        start = end + timedelta(days=1)
    return slices


def trends(session: Session, period: Period) -> list[Trend]:
    """``stage_metrics`` for each slice: as long as the report itself on a big log, so the
    page asks for it separately and shows the report first."""
    return [Trend(p, stage_metrics(session=session, period=p)) for p in trend_periods(period)]


def channels(session: Session) -> list[str]:
    """Every channel the log has seen, for the filter's list."""
    found = session.scalars(
        select(Conversation.channel)
        .where(Conversation.channel.is_not(None))
        .distinct()
        .order_by(Conversation.channel)
    )
    return [c for c in found if c]


def overview(session: Session, period: Period) -> Overview:
    """The full report (as the CLI builds it) and the channels: seconds on a big log."""
    report = build_report(session=session, period=period, top=TOP_PAIN_POINTS)
    return Overview(report, channels(session))


def _stage_of(stage: str | None) -> str:
    return stage or NO_STAGE


def stage_pain_points(
    session: Session, period: Period, stage: str, top: int = TOP_PAIN_POINTS
) -> list[PainPoint]:
    """The stage's own top pain points, explained: the global ranking kept to that stage.

    A group's score only compares it with the rest of its own stage, so this is the same order
    as the full ranking, just deeper than its overall top ten.
    """
    ranked = rank_pain_points(session=session, period=period, top=sys.maxsize)
    mine = [p for p in ranked if _stage_of(p.key.stage) == stage][:top]
    return explain_pain_points(session=session, period=period, points=mine, analyzer=Analyzer())


def for_stage(report: Report, stage: str, points: list[PainPoint]) -> Report:
    """The report's rows about one stage: its metrics, its funnel and heatmap rows, the
    transitions into or out of it, its pain points, misunderstood messages and the agents'
    verdicts on handoffs the bot put there (category corrections carry no stage: left out)."""
    paths = report.paths
    if paths is not None:
        paths = JourneyPaths(
            transitions=[t for t in paths.transitions if stage in (t.source, t.target)],
            endings=[e for e in paths.endings if e.stage == stage],
            reach=[r for r in paths.reach if r.stage == stage],
        )
    agents = report.dispositions
    if agents is not None:
        agents = Dispositions(
            agreement=[a for a in agents.agreement if a.stage == stage],
            corrections=[
                c for c in agents.corrections if c.kind == "etapa" and stage in (c.bot, c.agent)
            ],
        )
    return replace(
        report,
        metrics=[m for m in report.metrics if m.stage == stage],
        paths=paths,
        pain_points=points,
        unrecognised=[u for u in report.unrecognised if _stage_of(u.stage) == stage],
        dispositions=agents,
    )


def trend_rows(trend_list: list[Trend], stage: str | None) -> list[tuple[Period, StageMetrics]]:
    """Each slice's overall row, or its row for ``stage`` (an empty one if nothing happened)."""
    empty = StageMetrics(stage, 0, 0, *([None] * 10))
    picked = []
    for trend in trend_list:
        row = next((r for r in trend.rows if r.stage == stage), empty)
        picked.append((trend.period, row))
    return picked


def trend_table(trend_list: list[Trend], stage: str | None) -> Table:
    return Table(
        "tendencias",
        "Tendencias",
        [
            ("Desde", TEXT),
            ("Hasta", TEXT),
            ("Conversaciones", NUMBER),
            ("Contención", PERCENT),
            ("Derivación", PERCENT),
            ("Abandono", PERCENT),
            ("Conversaciones con fallback", PERCENT),
            ("Satisfacción media", DECIMAL),
        ],
        [
            [
                period.since.isoformat(),
                period.until.isoformat(),
                m.conversations,
                m.containment,
                m.handoff_rate,
                m.abandonment_rate,
                m.fallback_conversation_rate,
                m.csat_average,
            ]
            for period, m in trend_rows(trend_list, stage)
        ],
        "Las mismas métricas por día (por semana en periodos largos), según el inicio de cada "
        "conversación.",
    )
