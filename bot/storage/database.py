"""The assistant's databases: SQLite by default, PostgreSQL by URL; one engine per process.

Every store asks :func:`create_engine` for its database, which hands back the same engine for
the same URL within a process, so the escalations, SMS records, console, audit log and (on
PostgreSQL, where both URLs are the same) the conversations share one connection pool. The
assistant's tables are declared on one set of models (:data:`Base`), checked against the
migrated schema by ``tests/bot/storage/test_schema.py``.

On SQLite the conversations (Rasa's tracker store) keep a file of their own, so a burst of turns
never waits for the assistant's writes. Connections are pooled and use write-ahead logging with
``synchronous=NORMAL``: a committed turn survives a crash of the process, and at worst the last
turns before a power cut are lost, never corrupted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from sqlalchemy.pool import QueuePool

from bot.paths import var_dir

SQLITE = "sqlite:///"


def database_url() -> str:
    """Return ``BOT_DATABASE_URL``, or a SQLite file in the run-time folder."""
    return os.environ.get("BOT_DATABASE_URL", f"{SQLITE}{var_dir() / 'assistant.db'}")


def conversations_url(database: str, sqlite_file: Path | str) -> str:
    """Return where conversations are kept beside ``database``.

    On a database server they go to the same database; on SQLite, to a file of their own.
    """
    return f"{SQLITE}{sqlite_file}" if database.startswith(SQLITE) else database


def tracker_url() -> str:
    """Return ``BOT_TRACKER_URL``, or the conversations' place beside ``BOT_DATABASE_URL``."""
    return os.environ.get("BOT_TRACKER_URL") or conversations_url(
        database_url(), var_dir() / "tracker.db"
    )


# The assistant's tables (escalations, SMS, exits, console accounts, sessions, audit).
Base = declarative_base()
ENGINES_KEPT = 16  # tests open many databases; a process serving people opens one


def create_engine(url: str | None = None) -> sa.engine.Engine:
    """Return this process's engine for ``url``; SQLite gets pooled WAL connections."""
    return _engine(url or database_url())


@lru_cache(maxsize=ENGINES_KEPT)
def _engine(url: str) -> sa.engine.Engine:
    if not url.startswith(SQLITE):
        return sa.create_engine(url, pool_pre_ping=True)
    path = url.removeprefix(SQLITE)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    engine = sa.create_engine(
        url, poolclass=QueuePool, pool_size=4, connect_args={"check_same_thread": False}
    )
    sa.event.listen(engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as aware UTC: SQLite hands back naive datetimes, which we store in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# PostgreSQL advisory lock key held while a process creates or migrates tables ("CSEA" in ASCII)
SCHEMA_LOCK_KEY = 0x43534541


@contextmanager
def schema_lock(engine: sa.engine.Engine) -> Iterator[None]:
    """Hold the database's schema lock: server processes starting together migrate one at a time.

    On PostgreSQL a session advisory lock; SQLite, which serves one process, needs none.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
