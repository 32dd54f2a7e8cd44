"""The assistant's own database (escalations): SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.paths import var_dir
from bot.storage.tracker_store import sqlite_engine


def database_url() -> str:
    """Return ``BOT_DATABASE_URL``, or a SQLite file in the run-time folder."""
    return os.environ.get("BOT_DATABASE_URL", f"sqlite:///{var_dir() / 'assistant.db'}")


def create_engine(url: str | None = None) -> sa.engine.Engine:
    """Return an engine for ``url``; SQLite gets pooled WAL connections."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return sqlite_engine(path)
    return sa.create_engine(url, pool_pre_ping=True)


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as aware UTC: SQLite hands back naive datetimes, which we store in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
