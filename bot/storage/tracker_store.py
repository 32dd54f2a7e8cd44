"""Rasa's SQL tracker store on the assistant's engine for the conversations' URL.

Rasa's own ``SQL`` store opens a new SQLite connection for every read and write with SQLite's
rollback journal (several disk syncs per turn), and builds an engine of its own. This store takes
its engine from :func:`bot.storage.database.create_engine`: pooled write-ahead-logged
connections on SQLite, and on PostgreSQL the same pool as the assistant's other tables.
``endpoints.yml`` passes the URL (``BOT_TRACKER_URL``, set by ``bot run``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain

from bot.storage.database import create_engine, schema_lock, tracker_url


class AssistantTrackerStore(SQLTrackerStore):
    """The SQL tracker store on this process's engine for ``host`` (a SQLAlchemy URL)."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        """Connect to ``host`` (``BOT_TRACKER_URL`` by default) and create the events table."""
        self.engine = create_engine(host or tracker_url())
        with schema_lock(self.engine):  # workers starting together create the table once
            self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
