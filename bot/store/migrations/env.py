"""Alembic environment: migrate only Ruta's tables, never Rasa's (they share the database)."""

from __future__ import annotations

from typing import Any

from alembic import context

from bot.config import get_settings
from bot.store.db import create_store_engine
from bot.store.migrate import include_name, target_metadata


def run_migrations() -> None:
    url = context.config.attributes.get("url") or get_settings().database_url
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
