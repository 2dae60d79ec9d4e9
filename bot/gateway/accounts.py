"""Console and dashboard accounts: argon2id password hashes, roles, disabling.

Synchronous functions over the caller's session, used by the CLI (``python -m bot.gateway
agent ...``) and, off the event loop, by the log-in handler. An unknown user name costs the
same hash check as a wrong password, so timing does not tell which names exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import ROLES, Agent

MIN_PASSWORD_CHARS = 10
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 low-memory defaults
_DUMMY_HASH = _hasher.hash("ruta: no such account")


class AccountError(ValueError):
    """The account cannot be created or changed; ``str()`` says why, in Spanish."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    last_seen_at: datetime | None
    available: bool = True  # False: "away", the console is open but takes no new shoppers


def _account(agent: Agent) -> Account:
    return Account(
        agent.id,
        agent.username,
        agent.display_name,
        agent.role,
        agent.active,
        agent.last_seen_at,
        bool(agent.available),
    )


def normalize_username(raw: str) -> str:
    return (raw or "").strip().lower()


def add_account(
    session: Session, *, username: str, display_name: str, password: str, role: str = "agente"
) -> Account:
    """Create an account; a disabled one of the same name comes back with the new password."""
    name = normalize_username(username)
    if not USERNAME_RE.match(name):
        raise AccountError(
            "El usuario debe tener de 2 a 80 caracteres: "
            "letras minúsculas, números, '.', '_' o '-'."
        )
    if role not in ROLES:
        raise AccountError(f"El rol debe ser uno de: {', '.join(ROLES)}.")
    shown = " ".join((display_name or "").split())
    if not shown:
        raise AccountError("Falta el nombre que verán los clientes (--name).")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"La contraseña debe tener al menos {MIN_PASSWORD_CHARS} caracteres.")
    agent = session.scalars(select(Agent).where(Agent.username == name)).one_or_none()
    if agent is not None and agent.active:
        raise AccountError(f"Ya existe una cuenta activa con el usuario {name!r}.")
    if agent is None:
        agent = Agent(username=name, created_at=datetime.utcnow(), available=True)
        session.add(agent)
    agent.display_name = shown[:120]
    agent.password_hash = _hasher.hash(password)
    agent.role = role
    agent.active = True
    session.flush()
    return _account(agent)


def list_accounts(session: Session) -> list[Account]:
    return [_account(a) for a in session.scalars(select(Agent).order_by(Agent.username))]


def disable_account(session: Session, username: str) -> Account:
    """Log the person out for good: their session stops working on its next request."""
    agent = session.scalars(
        select(Agent).where(Agent.username == normalize_username(username))
    ).one_or_none()
    if agent is None:
        raise AccountError(f"No existe ninguna cuenta con el usuario {username!r}.")
    agent.active = False
    agent.last_seen_at = None
    session.flush()
    return _account(agent)


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """The active account these credentials open, or None (no hint of which part was wrong)."""
    agent = session.scalars(
        select(Agent).where(Agent.username == normalize_username(username))
    ).one_or_none()
    try:
        _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if agent is None or not agent.active:
        return None
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = _hasher.hash(password)
    return _account(agent)


def load_account(session: Session, agent_id: int) -> Account | None:
    """The account behind a console session, if it is still active."""
    agent = session.get(Agent, agent_id)
    return _account(agent) if agent is not None and agent.active else None


def set_available(session: Session, agent_id: int, available: bool) -> None:
    """The agent's own switch: away keeps the console open but routes no new shoppers to them.

    It outlasts the session, like a status in any chat tool; the console shows it at the top.
    """
    agent = session.get(Agent, agent_id)
    if agent is not None:
        agent.available = available


def set_offline(session: Session, agent_id: int) -> None:
    """The agent closed the console or logged out: new shoppers stop being queued for them."""
    agent = session.get(Agent, agent_id)
    if agent is not None:
        agent.last_seen_at = None
