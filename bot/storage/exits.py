"""Quick exits: which conversations the person left with the Exit button or Shift three times.

A duty worker needs to know that the person has gone (and may not be safe to contact), not
why; only the conversation id and the time are kept.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.figures.events import FigureEvent, Measure, profile_id, uk_day
from bot.storage.database import Base, create_engine
from bot.storage.figures import add_figures
from bot.storage.migrations import migrate


class ExitRow(Base):
    """The ``conversation_exits`` table."""

    __tablename__ = "conversation_exits"
    conversation_id = sa.Column(sa.String(200), primary_key=True)
    exited_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class ExitStore:
    """Record and look up quick exits in the assistant's database."""

    def __init__(self, url: str | None = None, engine: sa.engine.Engine | None = None) -> None:
        """Use ``engine``, or connect to ``url`` (``BOT_DATABASE_URL`` by default); migrate."""
        self.engine = engine or create_engine(url)
        migrate(self.engine)

    def mark_exited(self, conversation_id: str) -> None:
        """Record that the person left the conversation by quick exit (the latest time wins).

        The first exit of a conversation is counted in the figures (quick exit is a web chat
        button, so the channel is web chat).
        """
        with Session(self.engine) as session, session.begin():
            row = session.get(ExitRow, conversation_id)
            now = datetime.now(timezone.utc)
            if row is None:
                session.add(ExitRow(conversation_id=conversation_id, exited_at=now))
                exit_figure = FigureEvent(
                    Measure.QUICK_EXIT, uk_day(now), channel="webchat", profile=profile_id()
                )
                add_figures(session, [exit_figure])
            else:
                row.exited_at = now

    def exited_at(self, conversation_id: str) -> datetime | None:
        """Return when the person last left the conversation by quick exit, if they did."""
        with Session(self.engine) as session:
            row = session.get(ExitRow, conversation_id)
            return None if row is None else row.exited_at

    def forget(self, conversation_ids: set[str]) -> int:
        """Delete the exit records of these conversations (retention); return how many."""
        if not conversation_ids:
            return 0
        with Session(self.engine) as session, session.begin():
            query = sa.delete(ExitRow).where(ExitRow.conversation_id.in_(conversation_ids))
            return int(session.execute(query).rowcount)
