"""`python -m bot.store migrate|seed|demo` as an operator or a script runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import PROJECT_ROOT
from tests.pg import free_port


def _store_cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "bot.store", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_creates_the_schema_and_a_second_run_does_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    first = _store_cli("migrate", url=url)
    second = _store_cli("migrate", url=url)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "upgraded from empty to" in first.stdout
    assert "up to date" in second.stdout


def test_seeding_a_seeded_store_does_nothing(sqlite_engine: Engine) -> None:
    result = _store_cli("seed", url=sqlite_engine.url.render_as_string(hide_password=False))
    assert result.returncode == 0 and "already seeded" in result.stdout


def test_demo_json_lists_one_order_per_status_for_scripts(sqlite_engine: Engine) -> None:
    result = _store_cli("demo", "--json", url=sqlite_engine.url.render_as_string(False))
    assert result.returncode == 0, result.stderr
    orders = json.loads(result.stdout)
    assert {"pendiente_pago", "entregado", "cancelado", "devuelto"} <= {o["status"] for o in orders}
    for order in orders:
        assert {"number", "status", "email", "postal_code", "carrier", "tracking_number"} <= set(
            order
        )


def test_demo_against_a_dead_database_says_so_without_a_traceback() -> None:
    url = f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/ruta"
    result = _store_cli("demo", url=url)
    assert result.returncode == 1
    assert "Cannot reach the database" in result.stderr and "Traceback" not in result.stderr
