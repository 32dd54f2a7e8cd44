"""Rasa's SQL tracker store on the assistant's engine, loading only a conversation's new events.

Rasa's own ``SQL`` store opens a new SQLite connection for every read and write with SQLite's
rollback journal (several disk syncs per turn), and builds an engine of its own. This store takes
its engine from :func:`bot.storage.database.create_engine`: pooled write-ahead-logged
connections on SQLite, and on PostgreSQL the same pool as the assistant's other tables.
``endpoints.yml`` passes the URL (``BOT_TRACKER_URL``, set by ``bot run``).

Rasa rebuilds the tracker from every event of the session on every turn, and decoding the events
(JSON, then Rasa's event classes) is most of a long conversation's turn. This store keeps the
decoded events of the conversations it served last and reads only the rows added since. The
rows are the truth: before using its copy it counts the rows it holds in the database and reads
their earliest and latest times (so a conversation deleted by retention or by request, rows
written out of order, or a conversation moved in time reload it whole), and a new session
reloads it. Conversation locks (``endpoints.yml``) make one process at a time write a
conversation, so a worker that holds the lock sees every row another wrote.

Saving a turn also counts it in the anonymous figures (``bot/figures/from_turns.py``): the
events about to be stored are each counted once, after the turn is committed.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from bot.figures.events import profile_id
from bot.figures.from_turns import turn_figures
from bot.storage.database import create_engine, schema_lock, tracker_url
from bot.storage.figures import FigureStore

logger = logging.getLogger(__name__)
# the decoded events kept per process, of the conversations served last (about 4 KB each)
KEPT_EVENTS = 10_000


@dataclass(frozen=True)
class RowsSeen:
    """What the database held of a conversation's rows from one id to another, when read."""

    first_id: int
    last_id: int
    count: int
    earliest: float | None  # the rows' times: a conversation moved in time is read again
    latest: float | None

    def with_new(self, rows: list[Any]) -> RowsSeen:
        """Return what is seen once ``rows`` (read after ``last_id``) are added."""
        times = [
            t for t in (self.earliest, self.latest, *(r.timestamp for r in rows)) if t is not None
        ]
        return RowsSeen(
            self.first_id,
            rows[-1].id,
            self.count + len(rows),
            min(times, default=None),
            max(times, default=None),
        )


@dataclass
class SessionEvents:
    """One conversation's current session as decoded events, and the rows they came from."""

    seen: RowsSeen
    events: list[Event]


class AssistantTrackerStore(SQLTrackerStore):
    """The SQL tracker store on this process's engine for ``host`` (a SQLAlchemy URL)."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        kept_events: int = KEPT_EVENTS,
        figures_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Connect to ``host`` (``BOT_TRACKER_URL`` by default) and create the events table.

        Figures go to ``figures_url`` (the assistant's database, ``BOT_DATABASE_URL``).
        """
        self.engine = create_engine(host or tracker_url())
        with schema_lock(self.engine):  # workers starting together create the table once
            self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.kept_events = kept_events
        self._sessions: OrderedDict[str, SessionEvents] = OrderedDict()
        self._events_kept = 0
        self.figures = FigureStore(figures_url)
        self._saving: dict[str, list[Event]] = {}
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    @property
    def kept(self) -> tuple[int, int]:
        """How many conversations, and how many of their events, this process keeps now."""
        return len(self._sessions), self._events_kept

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events, then count them in the figures."""
        await super().save(tracker)
        new = self._saving.pop(tracker.sender_id, [])
        if not new:  # nothing saved (a handoff's save with no new events): nothing to count
            return
        try:
            self.figures.record(turn_figures(tracker, new, profile_id()))
        except Exception:  # a count lost is better than a turn that fails after it was saved
            logger.exception("could not count a turn in the figures")

    def _additional_events(self, session: sa.orm.Session, tracker: DialogueStateTracker) -> Any:
        """Return the events Rasa's store is about to add, remembering them for the figures."""
        new = list(super()._additional_events(session, tracker))
        self._saving[tracker.sender_id] = new
        return iter(new)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """Return the tracker of the conversation's latest session, or None if it has none."""
        if self.domain is None:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            events = self._session_events(session, sender_id)
        if not events:
            return None
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)

    def _session_events(self, session: sa.orm.Session, sender_id: str) -> list[Event]:
        """Return the latest session's events: the kept copy brought up to date, or all rows."""
        kept = self._sessions.pop(sender_id, None)
        if kept is not None:
            self._events_kept -= len(kept.events)
            kept = self._brought_up_to_date(session, sender_id, kept)
        if kept is None:
            kept = self._loaded(session, sender_id)
        if kept is None:
            return []
        self._sessions[sender_id] = kept
        self._events_kept += len(kept.events)
        while self._events_kept > self.kept_events and len(self._sessions) > 1:
            _, oldest = self._sessions.popitem(last=False)
            self._events_kept -= len(oldest.events)
        return list(kept.events)

    def _brought_up_to_date(
        self, session: sa.orm.Session, sender_id: str, kept: SessionEvents
    ) -> SessionEvents | None:
        """Add the rows written since ``kept``; None if its rows changed or a session began."""
        seen = kept.seen
        if self._rows_seen(session, sender_id, seen.first_id, seen.last_id) != seen:
            return None
        events = self.SQLEvent.__table__
        new = session.execute(
            sa.select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
            .where(events.c.sender_id == sender_id, events.c.id > seen.last_id)
            .order_by(events.c.id)
        ).all()
        if any(row.type_name == SessionStarted.type_name for row in new):
            return None
        if not new:
            return kept
        return SessionEvents(seen.with_new(new), kept.events + _decoded(new))

    def _loaded(self, session: sa.orm.Session, sender_id: str) -> SessionEvents | None:
        """Decode the latest session's rows the way Rasa does (None: no rows)."""
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        if not rows:
            return None
        seen = self._rows_seen(session, sender_id, rows[0].id, rows[-1].id)
        return SessionEvents(seen, _decoded(rows))

    def _rows_seen(
        self, session: sa.orm.Session, sender_id: str, first_id: int, last_id: int
    ) -> RowsSeen:
        """Count the conversation's rows from ``first_id`` to ``last_id`` and their times."""
        events = self.SQLEvent.__table__
        count, earliest, latest = session.execute(
            sa.select(
                sa.func.count(), sa.func.min(events.c.timestamp), sa.func.max(events.c.timestamp)
            ).where(events.c.sender_id == sender_id, events.c.id.between(first_id, last_id))
        ).one()
        return RowsSeen(first_id, last_id, count, earliest, latest)


def _decoded(rows: list[Any]) -> list[Event]:
    """Return stored rows' events, decoded as Rasa's own store decodes them."""
    return deserialise_events([json.loads(row.data) for row in rows])
