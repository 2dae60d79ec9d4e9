"""What the gateway accepts from a shopper before anything reaches Rasa.

Rasa's own channels take any length (100,000 characters cost 30 s and gigabytes) and
any rate, so the gateway checks here: blank messages are dropped quietly, long ones
are refused with an explanation, and each session gets a sliding-window budget.
"""

from __future__ import annotations

import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# A session id is a secret: whoever knows it reads the conversation. Rasa's widget
# uses uuid4().hex (32 hex characters); anything shorter or odder is replaced.
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
WINDOW_SECONDS = 60.0


def is_session_id(value: object) -> bool:
    """Whether ``value`` is unguessable enough to name a shopper's conversation."""
    return isinstance(value, str) and SESSION_ID.match(value) is not None


def new_session_id() -> str:
    return secrets.token_hex(16)


def is_message_id(value: object) -> bool:
    return isinstance(value, str) and MESSAGE_ID.match(value) is not None


def too_long_text(limit: int) -> str:
    return (
        f"Tu mensaje es demasiado largo: admito hasta {limit} caracteres. "
        "¿Me lo resumes o lo envías en varias partes?"
    )


def too_fast_text(wait_seconds: int) -> str:
    return (
        "Vas muy rápido: espera un momento antes de enviar otro mensaje "
        f"(unos {max(wait_seconds, 1)} segundos) y te respondo."
    )


@dataclass
class RateLimiter:
    """At most ``per_minute`` events per key in any 60-second window (one process)."""

    per_minute: int
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _events: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    def allow(self, key: str) -> int:
        """0 if the event may go ahead (and counts); otherwise seconds until it would."""
        now = self.clock()
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= WINDOW_SECONDS:
            events.popleft()
        if self.per_minute > 0 and len(events) >= self.per_minute:
            return int(WINDOW_SECONDS - (now - events[0])) + 1
        events.append(now)
        if len(self._events) > 10_000:
            self._forget_idle(now)
        return 0

    def _forget_idle(self, now: float) -> None:
        """Drop sessions with nothing in the window, so memory follows active shoppers."""
        for key in [k for k, v in self._events.items() if not v or now - v[-1] >= WINDOW_SECONDS]:
            del self._events[key]
