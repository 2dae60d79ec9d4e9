"""Bring a database's schema to the newest Alembic revision (what `make setup` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext

from bot.handoff import models as handoff_models  # noqa: F401  (registers handoff_, gateway_)
from bot.journey import models as journey_models  # noqa: F401  (registers journey_ tables)
from bot.store.db import create_store_engine
from bot.store.models import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
OWN_TABLE_PREFIXES = ("store_", "journey_", "handoff_", "gateway_")
target_metadata = metadata


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Autogenerate would otherwise propose dropping Rasa's tables (``events``) in our database."""
    if type_ == "table":
        return bool(name) and str(name).startswith(OWN_TABLE_PREFIXES)
    return True


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` that needs no alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None before the first migration."""
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade_to_head(url: str) -> tuple[str | None, str | None]:
    """Apply every pending migration and return (revision before, revision after).

    A database already at head is left as it is.
    """
    before = current_revision(url)
    command.upgrade(alembic_config(url), "head")
    return before, current_revision(url)
