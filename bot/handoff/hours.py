"""When people answer: agent hours as a store operator writes them.

``AGENT_HOURS`` is a comma-separated list of ``<days> <HH:MM>-<HH:MM>`` in
``AGENT_TIMEZONE``, days as ``mon``..``sun`` or a range ``mon-fri``; ``24/7`` means
always. Parsed once at start-up so a typo stops the process instead of silently
sending every shopper to the ticket path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SPANISH_DAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_PART = re.compile(
    r"^(?P<days>[a-z]{3}(?:-[a-z]{3})?)\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$"
)


class AgentHoursError(ValueError):
    """The AGENT_HOURS setting cannot be read."""


@dataclass(frozen=True)
class Window:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class AgentHours:
    windows: tuple[Window, ...]
    tz: ZoneInfo
    always: bool = False

    def open_at(self, moment: datetime | None = None) -> bool:
        """Whether people answer at ``moment`` (an aware datetime; naive means UTC)."""
        if self.always:
            return True
        moment = moment or datetime.now(timezone.utc)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        local = moment.astimezone(self.tz)
        now = local.time()
        return any(local.weekday() in w.days and w.start <= now < w.end for w in self.windows)

    def describe(self) -> str:
        """The hours in Spanish, for the shopper: "de lunes a viernes de 09:00 a 19:00"."""
        if self.always:
            return "a cualquier hora"
        parts = []
        for w in self.windows:
            days = sorted(w.days)
            if len(days) == 1:
                day = SPANISH_DAYS[days[0]]
                when = f"los {day}" if day.endswith("s") else f"los {day}s"
            else:
                when = f"de {SPANISH_DAYS[days[0]]} a {SPANISH_DAYS[days[-1]]}"
            parts.append(f"{when} de {w.start:%H:%M} a {w.end:%H:%M}")
        return " y ".join(parts)


def _time(text: str, setting: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise AgentHoursError(f"AGENT_HOURS: {text!r} is not a time of day in {setting!r}")
    return time(hours, minutes)


def parse_agent_hours(setting: str, timezone_name: str = "Europe/Madrid") -> AgentHours:
    """Read ``AGENT_HOURS``; raise AgentHoursError naming the part that is wrong."""
    try:
        tz = ZoneInfo(timezone_name)
    except (KeyError, ValueError) as exc:
        raise AgentHoursError(f"AGENT_TIMEZONE: unknown time zone {timezone_name!r}") from exc
    text = setting.strip().lower()
    if text in ("24/7", "always"):
        return AgentHours(windows=(), tz=tz, always=True)
    windows = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _PART.match(part)
        if not match:
            raise AgentHoursError(
                f"AGENT_HOURS: {part!r} should look like 'mon-fri 09:00-19:00' or '24/7'"
            )
        first, _, last = match["days"].partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise AgentHoursError(f"AGENT_HOURS: unknown day in {part!r} (use mon..sun)")
        start_day = DAYS.index(first)
        end_day = DAYS.index(last) if last else start_day
        days = frozenset(range(start_day, end_day + 1))
        start, end = _time(match["start"], part), _time(match["end"], part)
        if end <= start:
            raise AgentHoursError(f"AGENT_HOURS: {part!r} ends before it starts")
        windows.append(Window(days=days, start=start, end=end))
    if not windows:
        raise AgentHoursError("AGENT_HOURS is empty: give hours such as 'mon-fri 09:00-19:00'")
    return AgentHours(windows=tuple(windows), tz=tz)
