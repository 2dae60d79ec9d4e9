"""The database layer: dead databases, migrations beside Rasa's tables, SQLite's settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from bot.store import StoreUnavailable, store_session, verify_order
from bot.store.db import create_store_engine
from bot.store.migrate import include_name, upgrade_to_head
from bot.store.models import Order, metadata
from tests.pg import free_port


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg2://postgres@127.0.0.1:{port}/ruta",
        "sqlite:////proc/no-such-dir/ruta.db",
    ],
)
def test_database_that_is_down_raises_store_unavailable_not_a_traceback(url: str) -> None:
    engine = create_store_engine(url.format(port=free_port()))
    with pytest.raises(StoreUnavailable), store_session(engine) as session:
        verify_order(session=session, number="RU-100001", email="ana@example.com")


def test_missing_tables_count_as_unavailable(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StoreUnavailable), store_session(engine) as session:
        session.execute(select(Order.id)).all()


def test_store_session_commits_on_success_and_rolls_back_on_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tx.db'}"
    upgrade_to_head(url)
    engine = create_store_engine(url)
    insert = text(
        "INSERT INTO store_payment_methods (code, name, description, max_installments, active)"
        " VALUES (:code, 'Prueba', 'Prueba', 1, true)"
    )
    with store_session(engine) as session:
        session.execute(insert, {"code": "kept"})
    with pytest.raises(RuntimeError), store_session(engine) as session:
        session.execute(insert, {"code": "dropped"})
        raise RuntimeError("boom")
    with store_session(engine) as session:
        codes = set(session.scalars(text("SELECT code FROM store_payment_methods")))
    assert codes == {"kept"}


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrating_twice_changes_nothing_and_leaves_rasas_tables_alone(
    store_engine: Engine,
) -> None:
    url = store_engine.url.render_as_string(hide_password=False)
    with store_engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY)"))
    upgrade_to_head(url)
    with store_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        assert compare_metadata(context, metadata) == []
    assert "events" in inspect(store_engine).get_table_names()
