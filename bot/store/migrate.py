"""Bring a database's schema to the newest Alembic revision (what `make setup` runs)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.store.models import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
OWN_TABLE_PREFIXES = ("store_",)
target_metadata = metadata


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` that needs no alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def upgrade_to_head(url: str) -> None:
    """Apply every pending migration; a database already at head is left as it is."""
    command.upgrade(alembic_config(url), "head")
