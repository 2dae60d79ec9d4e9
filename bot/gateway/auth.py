"""Who may use the console: encrypted session cookies, CSRF tokens, roles, log-in limits.

The session cookie is encrypted and signed (Fernet) with a key derived from
``RUTA_SECRET_KEY``, HttpOnly and SameSite=Strict (Secure with ``SECURE_COOKIES`` behind
HTTPS), and expires twelve hours after log-in.
Every state-changing request must also carry the session's CSRF token in ``X-CSRF-Token``.
Each request re-reads the account, so a disabled agent is out on their next click.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

import aiohttp_session
from aiohttp import web
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.config import Settings
from bot.gateway.accounts import Account, load_account
from bot.gateway.db import in_db

COOKIE_NAME = "ruta_sesion"
SESSION_SECONDS = 12 * 3600
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
MAX_TRACKED_KEYS = 10_000

NOT_LOGGED_IN = "Tienes que iniciar sesión para usar la consola."
AGENTS_ONLY = "La consola es solo para agentes: tu cuenta es de analista."
BAD_CSRF = "La página ha caducado: recárgala e inténtalo de nuevo."
TOO_MANY_TRIES = "Demasiados intentos fallidos. Espera unos minutos antes de volver a intentarlo."


def cookie_key(secret_key: str) -> bytes:
    """A 32-byte key for the cookie cipher, derived from the operator's secret, never the secret."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"ruta-gateway",
        info=b"console session cookie",
    ).derive(secret_key.encode("utf-8"))


def setup_sessions(app: web.Application, settings: Settings) -> None:
    """Session middleware on the whole gateway, so the dashboard can share the log-in later."""
    storage = EncryptedCookieStorage(
        cookie_key(settings.secret_key),
        cookie_name=COOKIE_NAME,
        max_age=SESSION_SECONDS,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="Strict",
        path="/",
    )
    aiohttp_session.setup(app, storage)


@dataclass
class LoginLimiter:
    """Failed log-ins per user name and per address in a sliding window; success clears the name."""

    window: float = LOGIN_WINDOW_SECONDS
    per_user: int = MAX_FAILURES_PER_USER
    per_address: int = MAX_FAILURES_PER_ADDRESS
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return deque()
        return times

    def blocked(self, username: str, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        return (
            len(self._recent(f"u:{username}", now)) >= self.per_user
            or len(self._recent(f"a:{address}", now)) >= self.per_address
        )

    def failed(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._failures) > MAX_TRACKED_KEYS:  # a flood of made-up names: forget the old
            for key in list(self._failures):
                self._recent(key, now)
        self._failures[f"u:{username}"].append(now)
        self._failures[f"a:{address}"].append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"u:{username}", None)


async def csrf_token(request: web.Request) -> str:
    """The session's CSRF token, created on first use (the log-in form gets one too)."""
    session = await aiohttp_session.get_session(request)
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def csrf_ok(request: web.Request, sent: str | None) -> bool:
    session = await aiohttp_session.get_session(request)
    expected = session.get("csrf")
    return bool(expected and sent) and hmac.compare_digest(str(sent), str(expected))


async def log_in(request: web.Request, account: Account) -> None:
    """A fresh session (a new cookie, a new CSRF token): nothing from before log-in survives."""
    session = await aiohttp_session.new_session(request)
    session["agent_id"] = account.id
    session["csrf"] = secrets.token_urlsafe(32)


async def log_out(request: web.Request) -> None:
    session = await aiohttp_session.get_session(request)
    session.invalidate()


async def current_account(request: web.Request) -> Account | None:
    """The logged-in, still active account, or None; a disabled one loses its session."""
    session = await aiohttp_session.get_session(request)
    agent_id = session.get("agent_id")
    if not isinstance(agent_id, int):
        return None
    account = await in_db(request, lambda db: load_account(db, agent_id))
    if account is None:
        session.invalidate()
    return account


def json_error(status: int, message: str) -> web.HTTPException:
    """An API refusal with a Spanish message the console shows as is."""
    kinds: dict[int, type[web.HTTPException]] = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
        409: web.HTTPConflict,
        429: web.HTTPTooManyRequests,
        503: web.HTTPServiceUnavailable,
    }
    return kinds[status](
        text=json.dumps({"error": message}, ensure_ascii=False), content_type="application/json"
    )


async def authorize(request: web.Request, role: str = "agente") -> Account:
    """The agent behind an API call: 401 if not logged in, 403 for another role or no CSRF token."""
    account = await current_account(request)
    if account is None:
        raise json_error(401, NOT_LOGGED_IN)
    if account.role != role:
        raise json_error(403, AGENTS_ONLY if role == "agente" else "No tienes permiso.")
    if request.method not in SAFE_METHODS and not await csrf_ok(
        request, request.headers.get(CSRF_HEADER)
    ):
        raise json_error(403, BAD_CSRF)
    return account
