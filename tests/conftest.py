"""Shared fixtures: a migrated, seeded store on real SQLite and real PostgreSQL."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.services import DEFAULT_MODEL, running_services
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head
from tests.pg import free_port, postgres_server

warnings.filterwarnings("ignore", message=r".*\[W095\].*")

# The seed and every query in the store tests use this date, so answers never drift.
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, 0)
# Live services settle a conversation's journey outcome after this much quiet.
JOURNEY_IDLE_SECONDS = 3


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def _seeded(url: str) -> Engine:
    from bot.store.seed import SMALL, seed_store

    upgrade_to_head(url)
    engine = create_store_engine(url)
    seed_store(engine=engine, seed=7, today=TODAY, scale=SMALL)
    return engine


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("store") / "ruta.db"
    engine = _seeded(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_engine(postgres_url: str) -> Iterator[Engine]:
    engine = _seeded(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def store_engine(request: pytest.FixtureRequest) -> Engine:
    """The seeded store, once on each database."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture(scope="session")
def today_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded store dated today, for processes that read the real clock (servers, actions)."""
    from bot.store.seed import create_seeded_store

    return create_seeded_store(f"sqlite:///{tmp_path_factory.mktemp('live') / 'store.db'}")


def live_settings(database_url: str, uploads_dir: Path, **overrides: Any) -> Settings:
    """Settings for a real stack on free ports; people always answer, so handoff tests do not
    depend on the hour they run at."""
    if not DEFAULT_MODEL.exists():
        pytest.fail("no trained model: `make test` trains one before running the tests")
    settings = Settings(
        database_url=database_url,
        host="localhost",
        rasa_port=free_port(),
        actions_port=free_port(),
        gateway_port=free_port(),
        rasa_token="test-token",
        seed=11,
        secret_key="test-secret",
        journey_idle_seconds=JOURNEY_IDLE_SECONDS,
        agent_hours="24/7",
        uploads_dir=uploads_dir,
    )
    return replace(settings, **overrides)


@pytest.fixture(scope="session")
def live_services(
    today_store_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """Real Rasa server, action server and gateway, on free ports, over the today-dated store."""
    settings = live_settings(today_store_url, tmp_path_factory.mktemp("uploads"))
    with running_services(settings, timeout=240):
        yield settings


@pytest.fixture
def session(store_engine: Engine) -> Iterator[Session]:
    """A session whose writes are rolled back after the test, so tests never see each other."""
    connection = store_engine.connect()
    transaction = connection.begin()
    db = Session(bind=connection, future=True, autoflush=True)
    try:
        yield db
    finally:
        db.close()
        transaction.rollback()
        connection.close()
