"""The dashboard's filters: read from the query string, checked, with Spanish refusals.

Kept apart from ``dashboard_data`` so that checking a request never loads the analysis
libraries (scikit-learn, spaCy), which the gateway imports only for an analyst's first report.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.analytics.period import Period, default_period

CHANNEL_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class FilterError(ValueError):
    """A filter the dashboard cannot use; ``str()`` tells the analyst why, in Spanish."""


@dataclass(frozen=True)
class Filters:
    """What the analyst asked for; missing dates are filled from the log by ``resolve``."""

    since: date | None = None
    until: date | None = None
    channel: str | None = None
    stage: str | None = None


def _day(raw: str, name: str) -> date | None:
    text = raw.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FilterError(
            f"La fecha «{text[:20]}» de «{name}» no es válida: usa el formato AAAA-MM-DD."
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FilterError(f"Elige para «{name}» una fecha entre el año 2000 y el 2100.")
    return day


def parse_filters(query: Mapping[str, str], stages: Collection[str]) -> Filters:
    """The filters of a request's query string, checked; ``stages`` are the valid names."""
    since = _day(query.get("since", ""), "desde")
    until = _day(query.get("until", ""), "hasta")
    if since and until and since > until:
        raise FilterError(
            f"La fecha de inicio ({since:%d/%m/%Y}) es posterior a la de fin ({until:%d/%m/%Y})."
        )
    channel = query.get("channel", "").strip() or None
    if channel is not None and not CHANNEL_RE.match(channel):
        raise FilterError("El canal no es válido: usa uno de la lista.")
    stage = query.get("stage", "").strip() or None
    if stage is not None and stage not in stages:
        raise FilterError(f"La etapa «{stage[:40]}» no existe: elige una de la lista.")
    return Filters(since, until, channel, stage)


def resolve(session: Session, filters: Filters) -> Period:
    """The period the filters mean; without dates, the 30 days up to the last conversation."""
    try:
        return default_period(session, filters.since, filters.until, filters.channel)
    except ValueError:
        raise FilterError(
            "La fecha de inicio es posterior al último día con conversaciones: elige otro periodo."
        ) from None
