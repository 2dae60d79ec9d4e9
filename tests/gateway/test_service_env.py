"""Child processes (Rasa, actions, gateway) read exactly the settings their parent was given."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings, load_settings
from bot.services import SETTING_VARIABLES, build_services, service_env


def test_every_setting_reaches_a_child_process_unchanged(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'tienda.db'}",
        host="127.0.0.1",
        rasa_port=5105,
        actions_port=5155,
        gateway_port=8180,
        rasa_token="token-de-prueba",
        seed=99,
        secret_key="clave-de-prueba",
        journey_idle_seconds=42,
        gateway_timeout_seconds=2.5,
        max_message_chars=300,
        rate_limit_per_minute=7,
        agent_hours="mon-fri 08:00-15:00, sat 10:00-14:00",
        agent_timezone="America/Mexico_City",
        upload_max_bytes=123_456,
        uploads_dir=tmp_path / "fotos",
    )
    assert {f.name for f in fields(Settings)} == set(SETTING_VARIABLES)
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.config import load_settings; print(repr(load_settings()))",
        ],
        env=service_env(settings),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == repr(settings)
    assert repr(load_settings()) != repr(settings)  # the test's own process is untouched


def test_make_run_starts_the_gateway_after_rasa(tmp_path: Path) -> None:
    settings = Settings(f"sqlite:///{tmp_path / 'x.db'}", "localhost", 1, 2, 3, "t", 1)
    names = [s.name for s in build_services(settings)]
    assert names == ["action server", "Rasa server", "gateway"]
    gateway = build_services(settings)[-1]
    assert gateway.command[-3:] == ["-m", "bot.gateway", "serve"]
    assert gateway.health_url == "http://localhost:3/health"


def test_rasa_and_the_action_server_yield_the_cpu_to_the_gateway(tmp_path: Path) -> None:
    """Each service's launcher, run for real with a program that reports its niceness."""
    settings = Settings(f"sqlite:///{tmp_path / 'x.db'}", "localhost", 1, 2, 3, "t", 1)
    report = [sys.executable, "-c", "import os; print(os.nice(0))"]
    niceness = {}
    for service in build_services(settings):
        program = next(i for i, part in enumerate(service.command) if part.startswith("/"))
        launcher = service.command[:program]
        result = subprocess.run([*launcher, *report], capture_output=True, text=True, check=True)
        niceness[service.name] = int(result.stdout)
    base = os.nice(0)
    assert niceness == {"action server": base + 5, "Rasa server": base + 5, "gateway": base}
