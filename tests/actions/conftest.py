"""Actions run against their own seeded SQLite store, dated today (actions read the real clock)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import get_settings
from bot.store.db import dispose_engines


@pytest.fixture(scope="session")
def actions_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from bot.store.seed import create_seeded_store

    return create_seeded_store(f"sqlite:///{tmp_path_factory.mktemp('actions') / 'store.db'}")


@pytest.fixture(autouse=True)
def store_url(actions_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point ``bot.config`` (and so every action) at the actions' store for one test."""
    monkeypatch.setenv("DATABASE_URL", actions_db_url)
    get_settings.cache_clear()
    yield actions_db_url
    get_settings.cache_clear()
    dispose_engines()


@pytest.fixture
def dead_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The store database is down: nothing listens where DATABASE_URL points."""
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nadie@127.0.0.1:1/ruta")
    get_settings.cache_clear()
    dispose_engines()
    yield
