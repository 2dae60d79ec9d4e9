"""The slice of the log a report covers, and the SQL that differs between SQLite and PostgreSQL.

Every query in ``bot.analytics`` filters conversations with ``Period.conversation_filter``,
so the metrics, paths and pain points of one report always count the same conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.journey.models import Conversation


@dataclass(frozen=True)
class Period:
    """Conversations started from ``since`` to ``until``, both included, on one channel or all."""

    since: date
    until: date
    channel: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, datetime.min.time())

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after ``until``."""
        return datetime.combine(self.until + timedelta(days=1), datetime.min.time())

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one: what trends compare against."""
        return Period(
            self.since - timedelta(days=self.days), self.since - timedelta(days=1), self.channel
        )

    def conversation_filter(self) -> ColumnElement[bool]:
        clauses = [Conversation.started_at >= self.start, Conversation.started_at < self.end]
        if self.channel:
            clauses.append(Conversation.channel == self.channel)
        return and_(*clauses)


def default_period(
    session: Session, since: date | None, until: date | None, channel: str | None = None
) -> Period:
    """Fill in missing ends from the log: ``until`` is the last day with a conversation and
    ``since`` 30 days before it, so a bare ``report`` shows the most recent month."""
    if until is None:
        last = session.execute(select(func.max(Conversation.started_at))).scalar()
        until = last.date() if last is not None else date.today()
    if since is None:
        since = until - timedelta(days=29)
    if since > until:
        raise ValueError(f"--since ({since}) is after --until ({until})")
    return Period(since, until, channel)
