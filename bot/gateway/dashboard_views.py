"""The dashboard's JSON: the report's tables as the HTML report shows them, and chart data.

Table cells are formatted here with ``bot.analytics.render.cell`` (41,2 %, 1.234, 3 min 20 s),
so the page places text only and shows exactly what the CLI's report and the CSV files hold.
Charts get raw numbers next to their tables.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.analytics.metrics import StageMetrics
from bot.analytics.painpoints import PainPoint, Transcript
from bot.analytics.paths import NO_STAGE, JourneyPaths
from bot.analytics.period import Period
from bot.analytics.render import cell
from bot.analytics.report import Report
from bot.analytics.tables import (
    DECIMAL,
    DURATION,
    NUMBER,
    PERCENT,
    SPEAKERS,
    TEXT,
    Table,
    group_label,
    report_tables,
    stage_label,
)
from bot.gateway.dashboard_data import Overview, Trend, trend_rows, trend_table
from bot.journey.models import Conversation, Turn

CSV_PATH = "/panel/csv/"
OUTCOMES = {
    "resuelta": "Resuelta",
    "derivada": "Derivada",
    "abandonada": "Abandonada",
    "sin_resolver": "Sin resolver",
    "abierta": "Abierta",
}
HEAT_LEVELS = 5
MAX_TRANSCRIPT_TURNS = 500
SUMMARY = (
    ("Conversaciones", NUMBER, "conversations"),
    ("Contención", PERCENT, "containment"),
    ("Derivación", PERCENT, "handoff_rate"),
    ("Abandono", PERCENT, "abandonment_rate"),
    ("Conversaciones con fallback", PERCENT, "fallback_conversation_rate"),
    ("Satisfacción media", DECIMAL, "csat_average"),
    ("Mediana hasta resolver", DURATION, "median_resolution_seconds"),
)


def filter_query(period: Period, stage: str | None) -> dict[str, str]:
    """The resolved filters as a query string's fields (what the page and the CSV links use)."""
    query = {"since": period.since.isoformat(), "until": period.until.isoformat()}
    if period.channel:
        query["channel"] = period.channel
    if stage:
        query["stage"] = stage
    return query


def table_json(table: Table, query: str) -> dict[str, Any]:
    return {
        "name": table.name,
        "title": table.title,
        "note": table.note,
        "columns": [heading for heading, _ in table.columns],
        "numeric": [kind != TEXT for _, kind in table.columns],
        "rows": [
            [cell(value, kind) for value, (_, kind) in zip(row, table.columns, strict=True)]
            for row in table.rows
        ],
        "csv": f"{CSV_PATH}{table.name}.csv?{query}",
    }


def _rate(value: float | None) -> float | None:
    """A rate as a percentage for the charts, one decimal."""
    return None if value is None else round(value * 100, 1)


def _summary(metrics: list[StageMetrics], stage: str | None) -> list[dict[str, str]]:
    row = next((m for m in metrics if m.stage == stage), None)
    return [
        {"label": label, "value": cell(getattr(row, name) if row else None, kind)}
        for label, kind, name in SUMMARY
    ]


def _funnel(paths: JourneyPaths | None, order: list[str]) -> list[dict[str, Any]]:
    reach = sorted(paths.reach if paths else [], key=lambda r: _position(r.stage, order))
    return [{"label": stage_label(r.stage), "reached": r.reached, "ended": r.ended} for r in reach]


def _position(stage: str, order: list[str]) -> int:
    return order.index(stage) if stage in order else len(order)


def _heatmap(paths: JourneyPaths | None, order: list[str]) -> dict[str, Any]:
    """Rows: the stage a conversation ended in; columns: its outcome; shade: share of the row."""
    endings = paths.endings if paths else []
    counts: dict[tuple[str, str], int] = {(e.stage, e.outcome): e.count for e in endings}
    stages = sorted({e.stage for e in endings}, key=lambda s: _position(s, order))
    seen = {e.outcome for e in endings}
    outcomes = [o for o in OUTCOMES if o in seen] + sorted(seen - set(OUTCOMES))
    rows = []
    for stage in stages:
        total = sum(counts.get((stage, o), 0) for o in outcomes)
        cells = []
        for outcome in outcomes:
            count = counts.get((stage, outcome), 0)
            share = count / total if total else 0.0
            level = 0 if count == 0 else 1 + min(HEAT_LEVELS - 1, int(share * HEAT_LEVELS))
            cells.append(
                {"count": cell(count, NUMBER), "share": cell(share, PERCENT), "level": level}
            )
        rows.append({"label": stage_label(stage), "total": cell(total, NUMBER), "cells": cells})
    return {"outcomes": [OUTCOMES.get(o, o.replace("_", " ")) for o in outcomes], "rows": rows}


def trends_json(trends: list[Trend], period: Period, stage: str | None) -> dict[str, Any]:
    """The trend's chart series (rates in %) and its table."""
    rows = trend_rows(trends, stage)
    return {
        "labels": [f"{slice_.since:%d/%m}" for slice_, _ in rows],
        "conversations": [m.conversations for _, m in rows],
        "containment": [_rate(m.containment) for _, m in rows],
        "handoff": [_rate(m.handoff_rate) for _, m in rows],
        "abandonment": [_rate(m.abandonment_rate) for _, m in rows],
        "fallback": [_rate(m.fallback_conversation_rate) for _, m in rows],
        "table": table_json(trend_table(trends, stage), urlencode(filter_query(period, stage))),
    }


def _trend_points(trend: float | None) -> str:
    if trend is None:
        return "sin datos del periodo anterior"
    return f"{trend * 100:+.1f} puntos".replace(".", ",")


def transcript_lines(lines: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [
        {"speaker": speaker, "who": SPEAKERS.get(speaker, speaker).capitalize(), "text": text}
        for speaker, text in lines
    ]


def _example(transcript: Transcript) -> dict[str, Any]:
    outcome = transcript.outcome or "abierta"
    return {
        "conversation_id": transcript.conversation_id,
        "outcome": OUTCOMES.get(outcome, outcome.replace("_", " ")),
        "lines": transcript_lines(transcript.lines),
    }


def pain_point_json(rank: int, point: PainPoint) -> dict[str, Any]:
    stage, intent, category, status, late = (str(v) for v in group_label(point.key))
    size = point.counts.size
    return {
        "rank": rank,
        "stage": stage,
        "intent": intent,
        "category": category,
        "order_status": status,
        "late": late,
        "conversations": cell(size, NUMBER),
        "bad_rate": cell(point.bad_rate, PERCENT),
        "baseline": cell(point.baseline, PERCENT),
        "score": cell(point.score, DECIMAL),
        "handoffs": cell(point.counts.handoffs / size, PERCENT),
        "abandoned": cell(point.counts.abandoned / size, PERCENT),
        "with_fallback": cell(point.counts.with_fallback / size, PERCENT),
        "low_csat": cell(point.counts.low_csat / size, PERCENT),
        "trend": _trend_points(point.trend),
        "worse": point.trend is not None and point.trend > 0,
        "terms": [term.term for term in point.terms],
        "examples": [_example(t) for t in point.examples],
    }


def _title(period: Period, stage: str | None) -> str:
    parts = [f"Del {period.since:%d/%m/%Y} al {period.until:%d/%m/%Y}"]
    if period.channel:
        parts.append(f"canal {period.channel}")
    if stage:
        parts.append(f"etapa {stage_label(stage)}")
    return " · ".join(parts)


def dashboard_json(
    overview: Overview, report: Report, stage: str | None, order: list[str]
) -> dict[str, Any]:
    """What the page shows for one set of filters but the trend (``trends_json``);
    ``order`` is the journey's stages."""
    period = report.period
    query = urlencode(filter_query(period, stage))
    return {
        "filters": {**filter_query(period, stage), "title": _title(period, stage)},
        "options": {
            "stages": [{"name": s, "label": stage_label(s)} for s in [*order, NO_STAGE]],
            "channels": overview.channels,
        },
        "summary": _summary(report.metrics, stage),
        "funnel": _funnel(report.paths, order),
        "heatmap": _heatmap(report.paths, order),
        "pain_points": [pain_point_json(i, p) for i, p in enumerate(report.pain_points, 1)],
        "tables": {table.name: table_json(table, query) for table in report_tables(report)},
    }


def conversation_json(session: Session, conversation_id: str) -> dict[str, Any] | None:
    """One whole conversation from the journey log (texts are masked there), or None."""
    row = session.scalars(
        select(Conversation).where(Conversation.conversation_id == conversation_id)
    ).one_or_none()
    if row is None:
        return None
    turns = session.execute(
        select(Turn.speaker, Turn.text, Turn.stage, Turn.fallback, Turn.timestamp)
        .where(Turn.conversation_pk == row.id)
        .order_by(Turn.turn)
        .limit(MAX_TRANSCRIPT_TURNS)
    ).all()
    path = [s for s in (row.stage_path or "").split(",") if s]
    outcome = row.outcome or "abierta"
    return {
        "conversation_id": row.conversation_id,
        "started": f"{row.started_at:%d/%m/%Y %H:%M}",
        "channel": row.channel or "—",
        "path": " → ".join(stage_label(s) for s in path) or stage_label(NO_STAGE),
        "outcome": OUTCOMES.get(outcome, outcome.replace("_", " ")),
        "csat": cell(row.csat, NUMBER),
        "truncated": row.turns > len(turns),
        "lines": [
            {
                **transcript_lines([(t.speaker, t.text or "[texto anonimizado]")])[0],
                "time": f"{t.timestamp:%H:%M:%S}",
                "stage": stage_label(t.stage) if t.stage else "",
                "fallback": bool(t.fallback),
            }
            for t in turns
        ],
    }
