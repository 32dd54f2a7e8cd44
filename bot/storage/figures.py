"""The anonymous figure events table: written with the change it counts, read for a period.

Stores add figure events inside their own transaction (:func:`add_figures`), so an escalation
and its count commit together or not at all. The table holds no text and no identifier (see
``bot/figures/events.py``): retention and requests to delete never touch it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.figures.events import FigureEvent, Measure
from bot.storage.database import Base, create_engine
from bot.storage.migrations import migrate


class FigureRow(Base):
    """The ``figure_events`` table (created by migration 16)."""

    __tablename__ = "figure_events"
    id = sa.Column(sa.Integer, primary_key=True)
    day = sa.Column(sa.Date, nullable=False, index=True)
    measure = sa.Column(sa.String(40), nullable=False)
    channel = sa.Column(sa.String(40), nullable=False)
    language = sa.Column(sa.String(5), nullable=False)
    audience = sa.Column(sa.String(20), nullable=False)
    profile = sa.Column(sa.String(40), nullable=False)
    item = sa.Column(sa.String(60), nullable=False)
    priority = sa.Column(sa.Integer, nullable=True)
    route = sa.Column(sa.String(20), nullable=False)
    subject = sa.Column(sa.String(20), nullable=False)
    staffed = sa.Column(sa.String(10), nullable=False)
    outcome = sa.Column(sa.String(30), nullable=False)
    seconds = sa.Column(sa.Float, nullable=True)
    weight = sa.Column(sa.Integer, nullable=False)


def add_figures(session: Session, events: Iterable[FigureEvent]) -> None:
    """Add figure events to ``session`` (committed with the caller's change)."""
    for event in events:
        session.add(
            FigureRow(
                day=event.day,
                measure=event.measure.value,
                channel=event.channel[:40],
                language=event.language[:5],
                audience=event.audience[:20],
                profile=event.profile[:40],
                item=event.item[:60],
                priority=event.priority,
                route=event.route[:20],
                subject=event.subject[:20],
                staffed=event.staffed[:10],
                outcome=event.outcome[:30],
                seconds=event.seconds,
                weight=event.weight,
            )
        )


class FigureStore:
    """Record figure events on their own, and read a period's."""

    def __init__(self, url: str | None = None, engine: sa.engine.Engine | None = None) -> None:
        """Use ``engine``, or connect to ``url`` (``BOT_DATABASE_URL`` by default); migrate."""
        self.engine = engine or create_engine(url)
        migrate(self.engine)

    def record(self, events: Iterable[FigureEvent]) -> None:
        """Commit figure events that go with no other change (a turn's)."""
        events = list(events)
        if events:
            with Session(self.engine) as session, session.begin():
                add_figures(session, events)

    def between(self, first: date, last: date) -> list[FigureEvent]:
        """Return the figure events of the days from ``first`` to ``last``, both included."""
        query = sa.select(FigureRow).where(FigureRow.day.between(first, last))
        with Session(self.engine) as session:
            return [_event(row) for row in session.execute(query).scalars()]


def _event(row: FigureRow) -> FigureEvent:
    return FigureEvent(
        measure=Measure(row.measure),
        day=row.day,
        channel=row.channel,
        language=row.language,
        audience=row.audience,
        profile=row.profile,
        item=row.item,
        priority=row.priority,
        route=row.route,
        subject=row.subject,
        staffed=row.staffed,
        outcome=row.outcome,
        seconds=row.seconds,
        weight=row.weight,
    )
