"""SQL fragments that SQLite and PostgreSQL spell differently, and a dialect-neutral median.

SQLite has no interval type and no percentile aggregate; PostgreSQL has both. Each helper
returns an expression (or runs a query) that means the same on either, so a metric is
written once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, case, cast, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import Select


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (SUM of a CASE: portable, NULL-safe)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def seconds_between(
    session: Session, start: ColumnElement[datetime], end: ColumnElement[datetime]
) -> ColumnElement[float]:
    """``end - start`` in seconds; SQLite stores text, so it goes through julianday."""
    if dialect_of(session) == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def plus_days(session: Session, moment: ColumnElement[datetime], days: int) -> ColumnElement:
    """``moment`` plus whole days, comparable with other datetimes of the same table."""
    if dialect_of(session) == "postgresql":
        return moment + text(f"interval '{int(days)} days'")
    # SQLite keeps DateTime as 'YYYY-MM-DD HH:MM:SS.ffffff'; strftime keeps the same shape,
    # so text comparison with other stored values stays chronological.
    return func.strftime("%Y-%m-%d %H:%M:%f000", moment, f"+{int(days)} days")


def medians(session: Session, values: Select, grouped: bool) -> dict[object, float | None]:
    """Median of the first column ``values`` selects, per value of its second column if
    ``grouped`` (else one entry, under None).

    PostgreSQL computes it with ``percentile_cont(0.5)``. SQLite has no such aggregate, so
    each group's median is read with ``ORDER BY … LIMIT 2 OFFSET (n-1)/2`` after counting the
    group: one sorted query per group, bounded by the number of groups (the journey stages).
    """
    sub = values.subquery()
    value = sub.c[0]
    key = sub.c[1] if grouped else None
    if dialect_of(session) == "postgresql":
        median = func.percentile_cont(0.5).within_group(value)
        if key is None:
            return {None: _float(session.execute(select(median)).scalar())}
        return {
            row[0]: _float(row[1]) for row in session.execute(select(key, median).group_by(key))
        }
    counts = (
        session.execute(select(key, func.count(value)).group_by(key)).all()
        if key is not None
        else [(None, session.execute(select(func.count(value))).scalar_one())]
    )
    result: dict[object, float | None] = {}
    for group_key, size in counts:
        if not size:
            result[group_key] = None
            continue
        stmt = select(value).where(value.is_not(None)).order_by(value)
        if key is not None:
            stmt = stmt.where(key.is_not_distinct_from(group_key))
        middle = session.execute(stmt.limit(1 if size % 2 else 2).offset((size - 1) // 2)).scalars()
        picked = [float(v) for v in middle]
        result[group_key] = sum(picked) / len(picked) if picked else None
    return result


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def as_int(value: object) -> int:
    return int(value or 0)  # type: ignore[call-overload]
