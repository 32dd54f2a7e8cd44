"""Rasa's SQL tracker store tuned for SQLite, the embedded default.

Rasa opens a new SQLite connection for every read and write and uses SQLite's rollback
journal, which costs several disk syncs per turn. This store keeps pooled connections and
turns on write-ahead logging with ``synchronous=NORMAL``: a committed turn survives a crash
of the process, and at worst the last turns before a power cut are lost, never corrupted.
PostgreSQL deployments use Rasa's own ``SQL`` type unchanged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.pool import QueuePool


def _tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@lru_cache(maxsize=16)
def sqlite_engine(path: str) -> sa.engine.Engine:
    """Return this process's engine for the SQLite file at ``path`` (pooled, WAL mode)."""
    engine = sa.create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        connect_args={"check_same_thread": False},
    )
    sa.event.listen(engine, "connect", _tune_sqlite)
    return engine


class SQLiteTrackerStore(SQLTrackerStore):
    """The SQL tracker store on one SQLite file, with pooled WAL connections."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "tracker.db",
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        """Open (creating if needed) the SQLite file ``db`` and its tables."""
        kwargs.pop("host", None)
        self.engine = sqlite_engine(db)
        self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
