"""The assistant's own database: SQLite by default, PostgreSQL by URL; one engine per process.

Every store asks :func:`create_engine` for its database, which hands back the same engine for
the same URL within a process, so the escalations, SMS records, console and audit log share one
connection pool. Their tables are declared on one set of models (:data:`Base`), checked against
the migrated schema by ``tests/bot/storage/test_schema.py``.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from bot.paths import var_dir
from bot.storage.tracker_store import sqlite_engine


def database_url() -> str:
    """Return ``BOT_DATABASE_URL``, or a SQLite file in the run-time folder."""
    return os.environ.get("BOT_DATABASE_URL", f"sqlite:///{var_dir() / 'assistant.db'}")


# The assistant's tables (escalations, SMS, exits, console accounts, sessions, audit).
Base = declarative_base()
ENGINES_KEPT = 16  # tests open many databases; a process serving people opens one


def create_engine(url: str | None = None) -> sa.engine.Engine:
    """Return this process's engine for ``url``; SQLite gets pooled WAL connections."""
    return _engine(url or database_url())


@lru_cache(maxsize=ENGINES_KEPT)
def _engine(url: str) -> sa.engine.Engine:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return sqlite_engine(path)
    return sa.create_engine(url, pool_pre_ping=True)


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as aware UTC: SQLite hands back naive datetimes, which we store in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
