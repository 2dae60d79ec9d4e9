"""Stream the journey log to CSV or JSON Lines for analysts, in constant memory.

Rows come from the database in batches (a server-side cursor on PostgreSQL) and go
straight to the output; nothing is collected in a list, so a million turns cost the
same memory as ten.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import literal, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import Select

from bot.journey.models import Conversation, OrderSnapshot, Turn

FORMATS = ("csv", "jsonl")
RECORDS = ("turns", "conversations")
BATCH = 2000

TURN_FIELDS = (
    "conversation_id",
    "turn",
    "timestamp",
    "speaker",
    "text",
    "intent",
    "confidence",
    "second_intent",
    "second_confidence",
    "entities",
    "action",
    "stage",
    "fallback",
    "handoff",
    "latency_ms",
    "channel",
)
CONVERSATION_FIELDS = (
    "conversation_id",
    "channel",
    "started_at",
    "last_activity_at",
    "stage_path",
    "outcome",
    "csat",
    "turns",
    "fallback_turns",
    "handoff",
    "order_verified",
    "order_hash",
    "order_status",
    "order_late",
)


def turns_query(since: date | None = None, stage: str | None = None) -> Select:
    stmt = (
        select(
            Conversation.conversation_id,
            Turn.turn,
            Turn.timestamp,
            Turn.speaker,
            Turn.text,
            Turn.intent,
            Turn.confidence,
            Turn.second_intent,
            Turn.second_confidence,
            Turn.entities,
            Turn.action,
            Turn.stage,
            Turn.fallback,
            Turn.handoff,
            Turn.latency_ms,
            Conversation.channel,
        )
        .join(Conversation, Conversation.id == Turn.conversation_pk)
        .order_by(Turn.conversation_pk, Turn.turn)
    )
    if since is not None:
        stmt = stmt.where(Turn.timestamp >= datetime.combine(since, datetime.min.time()))
    if stage is not None:
        stmt = stmt.where(Turn.stage == stage)
    return stmt


def conversations_query(since: date | None = None, stage: str | None = None) -> Select:
    stmt = (
        select(
            Conversation.conversation_id,
            Conversation.channel,
            Conversation.started_at,
            Conversation.last_activity_at,
            Conversation.stage_path,
            Conversation.outcome,
            Conversation.csat,
            Conversation.turns,
            Conversation.fallback_turns,
            Conversation.handoff,
            Conversation.order_verified,
            Conversation.order_hash,
            OrderSnapshot.status.label("order_status"),
            OrderSnapshot.is_late.label("order_late"),
        )
        .outerjoin(OrderSnapshot, OrderSnapshot.conversation_pk == Conversation.id)
        .order_by(Conversation.id)
    )
    if since is not None:
        stmt = stmt.where(Conversation.started_at >= datetime.combine(since, datetime.min.time()))
    if stage is not None:
        padded = literal(",") + Conversation.stage_path + literal(",")
        stmt = stmt.where(padded.like(f"%,{stage},%"))
    return stmt


def _rows(engine: Engine, stmt: Select) -> Iterator[Mapping[str, Any]]:
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(stmt)
        for batch in result.mappings().partitions(BATCH):
            yield from batch


def _json_value(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds") + "Z"
    if name == "entities":
        return json.loads(value) if value else []
    if name == "stage_path":
        return value.split(",") if value else []
    return value


def _csv_value(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "stage_path" and value:
        return value.replace(",", ">")
    return "" if value is None else value


def export(
    engine: Engine,
    out: TextIO,
    *,
    fmt: str = "csv",
    records: str = "turns",
    since: date | None = None,
    stage: str | None = None,
) -> int:
    """Write the chosen records to ``out``; return how many were written."""
    if fmt not in FORMATS or records not in RECORDS:
        raise ValueError(f"format must be one of {FORMATS} and records one of {RECORDS}")
    fields: tuple[str, ...]
    if records == "turns":
        fields, stmt = TURN_FIELDS, turns_query(since, stage)
    else:
        fields, stmt = CONVERSATION_FIELDS, conversations_query(since, stage)
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(fields)
        for row in _rows(engine, stmt):
            writer.writerow([_csv_value(f, row[f]) for f in fields])
            count += 1
    else:
        for row in _rows(engine, stmt):
            record = {f: _json_value(f, row[f]) for f in fields}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
