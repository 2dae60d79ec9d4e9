"""Start Ruta's processes (Rasa, actions, gateway), wait until they answer, stop them together.

``python -m bot.services`` is the last step of ``make run``; end-to-end tests use
``running_services`` to get the same processes on free ports.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT, VAR_DIR, Settings, get_settings

BIN = Path(sys.executable).parent
DEFAULT_MODEL = PROJECT_ROOT / "models" / "ruta.tar.gz"
QUIET_ENV = {
    "PYTHONWARNINGS": "ignore",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def wait_ready(self, timeout: float) -> None:
        """Poll the health URL; fail loudly, with the log's tail, if the process dies or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def tracker_store_config(database_url: str) -> dict[str, Any]:
    """Rasa's SQL tracker store settings for a SQLAlchemy URL (Rasa takes parts, not a URL)."""
    url = make_url(database_url)
    config: dict[str, Any] = {"type": "SQL", "dialect": url.drivername, "db": url.database}
    if url.get_backend_name() != "sqlite":
        config.update(
            {
                "host": url.host or "localhost",
                "port": url.port,
                "username": url.username,
                "password": url.password,
            }
        )
    return {k: v for k, v in config.items() if v is not None}


def render_endpoints(
    settings: Settings, source: Path = PROJECT_ROOT / "endpoints.yml", *, journey: bool = True
) -> Path:
    """``endpoints.yml`` with the settings' action server URL and tracker store database.

    ``journey=False`` drops the event broker (the benchmark measures what it costs).
    """
    config = yaml.safe_load(source.read_text()) or {}
    config.setdefault("action_endpoint", {})["url"] = settings.action_endpoint_url
    config["tracker_store"] = tracker_store_config(settings.database_url)
    if not journey:
        config.pop("event_broker", None)
    target = VAR_DIR / f"endpoints-{settings.rasa_port}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False))
    return target


# Rasa and the action server run a little below the gateway's priority. Rasa spends ~55 ms
# of CPU on a turn, the gateway ~3 ms; once both cores are busy, the gateway's short slices
# of each turn wait in the run queue behind Rasa's inference. Over five runs each way of the
# bench's 10-shopper load over socket.io: p95 +9…+14 % over Rasa's own with this,
# +12…+15 % without. Nothing changes while the machine has CPU to spare.
WORKER_NICENESS = 5


def _below_gateway(command: list[str]) -> list[str]:
    return ["nice", "-n", str(WORKER_NICENESS), *command]


def build_services(
    settings: Settings, model: Path = DEFAULT_MODEL, *, journey: bool = True, gateway: bool = True
) -> list[Service]:
    """The action server first (Rasa calls it), the Rasa server with its HTTP API, the gateway."""
    interface = "127.0.0.1" if settings.host in ("localhost", "127.0.0.1") else "0.0.0.0"
    logs = VAR_DIR / "logs"
    services = [
        Service(
            name="action server",
            command=_below_gateway(
                [
                    str(BIN / "rasa"),
                    "run",
                    "actions",
                    "--actions",
                    "actions",
                    "--port",
                    str(settings.actions_port),
                ]
            ),
            health_url=f"http://{settings.host}:{settings.actions_port}/health",
            log_path=logs / "actions.log",
        ),
        Service(
            name="Rasa server",
            command=_below_gateway(
                [
                    str(BIN / "rasa"),
                    "run",
                    "--enable-api",
                    "--auth-token",
                    settings.rasa_token,
                    "--interface",
                    interface,
                    "--port",
                    str(settings.rasa_port),
                    "--model",
                    str(model),
                    "--endpoints",
                    str(render_endpoints(settings, journey=journey)),
                    "--credentials",
                    str(PROJECT_ROOT / "credentials.yml"),
                ]
            ),
            health_url=f"{settings.rasa_url}/",
            log_path=logs / "rasa.log",
        ),
    ]
    if gateway:
        services.append(
            Service(
                name="gateway",
                command=[str(BIN / "python"), "-m", "bot.gateway", "serve"],
                health_url=f"http://{settings.host}:{settings.gateway_port}/health",
                log_path=logs / "gateway.log",
            )
        )
    return services


# Each Settings field and the environment variable bot/config.py reads it from.
SETTING_VARIABLES = {
    "database_url": "DATABASE_URL",
    "host": "RUTA_HOST",
    "rasa_port": "RASA_PORT",
    "actions_port": "ACTIONS_PORT",
    "gateway_port": "GATEWAY_PORT",
    "rasa_token": "RASA_TOKEN",
    "seed": "RUTA_SEED",
    "secret_key": "RUTA_SECRET_KEY",
    "journey_idle_seconds": "JOURNEY_IDLE_SECONDS",
    "gateway_timeout_seconds": "GATEWAY_TIMEOUT",
    "max_message_chars": "MAX_MESSAGE_CHARS",
    "rate_limit_per_minute": "RATE_LIMIT_PER_MINUTE",
    "agent_hours": "AGENT_HOURS",
    "agent_timezone": "AGENT_TIMEZONE",
    "upload_max_bytes": "UPLOAD_MAX_BYTES",
    "uploads_dir": "UPLOADS_DIR",
    "secure_cookies": "SECURE_COOKIES",
}


def service_env(settings: Settings) -> dict[str, str]:
    """The environment every service process gets: every setting, spelled as its variable.

    A child process then reads exactly the settings its parent was given, even ones
    a test or the benchmark built in code rather than in the environment.
    """
    values = {field.name: getattr(settings, field.name) for field in fields(settings)}
    missing = set(values) - set(SETTING_VARIABLES)
    if missing:
        raise RuntimeError(f"bot.services.SETTING_VARIABLES lacks {sorted(missing)}")
    return {
        **os.environ,
        **QUIET_ENV,
        **{SETTING_VARIABLES[name]: str(value) for name, value in values.items()},
        "PYTHONPATH": str(PROJECT_ROOT),
    }


@contextmanager
def running_services(
    settings: Settings,
    model: Path = DEFAULT_MODEL,
    timeout: float = 300,
    *,
    journey: bool = True,
    gateway: bool = True,
) -> Iterator[list[Service]]:
    """Every service started and answering; all stopped on exit, even after a failure."""
    if not model.exists():
        raise FileNotFoundError(f"no trained model at {model}; run `make train`")
    env = service_env(settings)
    services = build_services(settings, model, journey=journey, gateway=gateway)
    try:
        for service in services:
            service.start(env)
        for service in services:
            service.wait_ready(timeout)
        yield services
    finally:
        for service in reversed(services):
            service.stop()


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    """Turn SIGTERM into SystemExit so the services are stopped, not orphaned."""
    raise SystemExit(0)


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    settings = get_settings()
    with running_services(settings) as services:
        print("Ruta is running:")
        print(f"  Rasa server    {settings.rasa_url}  (HTTP API, token in RASA_TOKEN)")
        print(f"  Action server  http://{settings.host}:{settings.actions_port}/health")
        print(f"  Gateway        http://{settings.host}:{settings.gateway_port}/  (demo store)")
        print(f"  Logs           {services[0].log_path.parent}")
        print("Demo orders: python -m bot.store demo. Press Ctrl-C to stop.")
        try:
            while all(s.process is not None and s.process.poll() is None for s in services):
                time.sleep(1)
        except KeyboardInterrupt:
            print("\nStopping…")
            return 0
        dead = [s for s in services if s.process is not None and s.process.poll() is not None]
        for service in dead:
            print(f"{service.name} stopped unexpectedly:\n{service.log_tail()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
