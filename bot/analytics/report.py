"""The whole analysis for one period, in the order the report shows it.

Each step is one of the modules next to this one; ``build_report`` only runs them in turn
(with a progress bar on stderr) and gathers the results, so the CLI, the dashboard and the
exports show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.analytics.dispositions import Dispositions, dispositions
from bot.analytics.language import Analyzer
from bot.analytics.metrics import StageMetrics, stage_metrics
from bot.analytics.painpoints import (
    PainPoint,
    group_samples,
    rank_pain_points,
    transcripts,
    with_details,
)
from bot.analytics.paths import JourneyPaths, journey_paths
from bot.analytics.period import Period
from bot.analytics.samples import (
    GROUP_CONVERSATIONS,
    background_texts,
    fallback_texts,
    group_texts,
)
from bot.analytics.terms import count_terms, distinctive_terms
from bot.analytics.unrecognised import StageFallbacks, cluster_fallbacks

Progress = Callable[[str], None]


def _quiet(_step: str) -> None:
    return None


@dataclass(frozen=True)
class Report:
    period: Period
    metrics: list[StageMetrics] = field(default_factory=list)
    paths: JourneyPaths | None = None
    pain_points: list[PainPoint] = field(default_factory=list)
    unrecognised: list[StageFallbacks] = field(default_factory=list)
    dispositions: Dispositions | None = None


def explain_pain_points(
    *,
    session: Session,
    period: Period,
    points: list[PainPoint],
    analyzer: Analyzer,
    progress: Progress = _quiet,
) -> list[PainPoint]:
    """Add each pain point's distinctive words and three example transcripts."""
    if not points:
        return []
    background = background_texts(session=session, period=period)
    analyzer.parse(text for _key, text in background)
    samples = group_samples(
        session=session, period=period, keys=[p.key for p in points], limit=GROUP_CONVERSATIONS
    )
    explained: list[PainPoint] = []
    for point in points:
        progress(f"palabras del punto de dolor {len(explained) + 1}")
        sample = samples[point.key]
        own = group_texts(session=session, sample=sample)
        mine, mine_total = count_terms(analyzer, own)
        rest, rest_total = count_terms(analyzer, (t for k, t in background if k != point.key))
        terms = distinctive_terms(mine, mine_total, rest, rest_total)
        examples = transcripts(session=session, sample=sample)
        explained.append(with_details(point, terms, examples))
    return explained


def pain_point_report(
    *, session: Session, period: Period, top: int = 10, progress: Progress = _quiet
) -> Report:
    """Only the ranked pain points, explained (``python -m bot.analytics painpoints``)."""
    progress("puntos de dolor")
    points = rank_pain_points(session=session, period=period, top=top)
    points = explain_pain_points(
        session=session, period=period, points=points, analyzer=Analyzer(), progress=progress
    )
    return Report(period=period, pain_points=points)


def build_report(
    *, session: Session, period: Period, top: int = 10, progress: Progress = _quiet
) -> Report:
    """Metrics, paths, pain points, unrecognised messages and agents' dispositions."""
    analyzer = Analyzer()
    progress("métricas por etapa")
    metrics = stage_metrics(session=session, period=period)
    progress("recorridos")
    paths = journey_paths(session=session, period=period)
    progress("puntos de dolor")
    points = rank_pain_points(session=session, period=period, top=top)
    points = explain_pain_points(
        session=session, period=period, points=points, analyzer=analyzer, progress=progress
    )
    progress("mensajes no entendidos")
    unrecognised = cluster_fallbacks(fallback_texts(session=session, period=period), analyzer)
    progress("disposiciones de los agentes")
    agents = dispositions(session=session, period=period)
    return Report(period, metrics, paths, points, unrecognised, agents)


def as_dict(report: Report) -> dict[str, Any]:
    """The report as plain data for JSON: English keys, rates 0–1, dates as ISO text."""
    from dataclasses import asdict

    data = asdict(report)
    data["period"] = {
        "since": report.period.since.isoformat(),
        "until": report.period.until.isoformat(),
        "channel": report.period.channel,
    }
    for raw, point in zip(data["pain_points"], report.pain_points, strict=True):
        raw["trend"] = point.trend
    return data
