"""One engine per process, opened lazily from ``DATABASE_URL``; sessions that fail cleanly."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.future import create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.config import get_settings
from bot.store.errors import StoreUnavailable

log = logging.getLogger(__name__)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the action server read while the broker writes; foreign keys are off by default."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """A new engine for ``url``; SQLite files get their folder created and WAL switched on."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # An unusable folder surfaces on first connect, as StoreUnavailable.
            with suppress(OSError):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 5}
        if parsed.database and parsed.database != ":memory:":
            # SQLAlchemy 1.4 opens a new SQLite connection (and runs the pragmas) for every
            # session; a pool, SQLAlchemy 2.0's default, takes a third off the gateway's CPU
            # per turn and keeps the action server and the journey broker from paying it too.
            kwargs.update(poolclass=QueuePool, pool_size=5, max_overflow=10)
    else:
        kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
        if parsed.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 3}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The process's engine for ``url`` (default: ``DATABASE_URL``), created on first use."""
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = create_store_engine(url)
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests and forked workers call this)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def store_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error.

    Connection-level database failures surface as ``StoreUnavailable`` so callers
    apologise instead of showing a traceback.
    """
    factory = sessionmaker(bind=engine or get_engine(), future=True, expire_on_commit=False)
    try:
        with factory.begin() as session:
            yield session
    except (OperationalError, InterfaceError) as exc:
        log.error("store database unavailable: %s", str(exc.orig or exc).strip().splitlines()[0])
        raise StoreUnavailable("the store database is not reachable") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            log.error("store database connection lost: %s", str(exc.orig or exc).strip())
            raise StoreUnavailable("the store database connection was lost") from exc
        raise
