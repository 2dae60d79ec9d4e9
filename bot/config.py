"""Settings from the environment, in one place.

Every process (Rasa's event broker, the action server, the gateway, the CLIs)
reads its configuration here, so a store operator changes one variable and all
of them follow. Each variable is documented in the README's configuration table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'ruta.db'}"


@dataclass(frozen=True)
class Settings:
    """Typed view of the environment variables Ruta reads."""

    database_url: str
    host: str
    rasa_port: int
    actions_port: int
    gateway_port: int
    rasa_token: str
    seed: int
    secret_key: str = "ruta-dev-secret"
    journey_idle_seconds: int = 1800
    gateway_timeout_seconds: float = 10.0
    max_message_chars: int = 1000
    rate_limit_per_minute: int = 20
    # When people answer: "mon-fri 09:00-19:00, sat 10:00-14:00" in agent_timezone, or "24/7".
    agent_hours: str = "mon-fri 09:00-19:00"
    agent_timezone: str = "Europe/Madrid"
    upload_max_bytes: int = 5 * 1024 * 1024
    uploads_dir: Path = VAR_DIR / "uploads"
    # Behind HTTPS (production), the console's session cookie is sent over HTTPS only.
    secure_cookies: bool = False

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}/webhook"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "sí", "si"):
        return True
    if raw in ("0", "false", "no"):
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


def load_settings() -> Settings:
    """Read the environment now (tests call this after changing it)."""
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        host=os.environ.get("RUTA_HOST", "").strip() or "localhost",
        rasa_port=_int("RASA_PORT", 5005),
        actions_port=_int("ACTIONS_PORT", 5055),
        gateway_port=_int("GATEWAY_PORT", 8080),
        rasa_token=os.environ.get("RASA_TOKEN", "").strip() or "ruta-dev-token",
        seed=_int("RUTA_SEED", 20261123),
        secret_key=os.environ.get("RUTA_SECRET_KEY", "").strip() or "ruta-dev-secret",
        journey_idle_seconds=_int("JOURNEY_IDLE_SECONDS", 1800),
        gateway_timeout_seconds=_float("GATEWAY_TIMEOUT", 10.0),
        max_message_chars=_int("MAX_MESSAGE_CHARS", 1000),
        rate_limit_per_minute=_int("RATE_LIMIT_PER_MINUTE", 20),
        agent_hours=os.environ.get("AGENT_HOURS", "").strip() or "mon-fri 09:00-19:00",
        agent_timezone=os.environ.get("AGENT_TIMEZONE", "").strip() or "Europe/Madrid",
        upload_max_bytes=_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024),
        uploads_dir=Path(os.environ.get("UPLOADS_DIR", "").strip() or VAR_DIR / "uploads"),
        secure_cookies=_bool("SECURE_COOKIES", False),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
