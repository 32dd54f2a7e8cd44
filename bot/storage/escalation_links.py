"""What is kept beside an escalation: links from conversations that quoted it, notes, reminders.

Part of :class:`bot.storage.escalations.EscalationStore` (its base class), kept apart so each
module stays readable: a later conversation that quotes a reference is linked to it (and learns
nothing about it), duty workers keep private notes on it, and a person told that their worker
has gone quiet is told once per unanswered message, however many server processes check.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.storage.database import as_utc
from bot.storage.escalation_records import (
    EscalationError,
    EscalationLinkRow,
    EscalationRow,
    Note,
    NoteRow,
)


class LinksAndNotes:
    """Links and notes of escalations, in the store's database (``self.engine``)."""

    engine: sa.engine.Engine

    def link(self, reference: str, conversation_id: str) -> bool:
        """Record that ``conversation_id`` quoted ``reference``; return whether it exists.

        Nothing about the earlier escalation is returned: the caller learns only whether
        a link was recorded, and must answer the person the same way either way.
        """
        with Session(self.engine) as session, session.begin():
            query = sa.select(EscalationRow.id).where(EscalationRow.reference == reference)
            escalation_id = session.execute(query).scalar_one_or_none()
            if escalation_id is None:
                return False
            exists = sa.select(EscalationLinkRow.id).where(
                EscalationLinkRow.escalation_id == escalation_id,
                EscalationLinkRow.conversation_id == conversation_id,
            )
            if session.execute(exists).first() is None:
                session.add(
                    EscalationLinkRow(
                        escalation_id=escalation_id,
                        conversation_id=conversation_id,
                        created_at=datetime.now(timezone.utc),
                    )
                )
            return True

    def links_for(self, reference: str) -> list[str]:
        """Return the conversations that quoted ``reference`` (what a duty worker is told)."""
        with Session(self.engine) as session:
            query = (
                sa.select(EscalationLinkRow.conversation_id)
                .join(EscalationRow, EscalationRow.id == EscalationLinkRow.escalation_id)
                .where(EscalationRow.reference == reference)
            )
            return list(session.execute(query).scalars())

    def add_note(self, reference: str, author: str, text: str) -> Note:
        """Record a private note on an escalation."""
        exists = sa.select(EscalationRow.id).where(EscalationRow.reference == reference)
        with Session(self.engine) as session:
            if session.execute(exists).first() is None:
                raise EscalationError("there is no escalation with this reference")
        now = datetime.now(timezone.utc)
        with Session(self.engine) as session, session.begin():
            session.add(NoteRow(reference=reference, author=author, text=text, created_at=now))
        return Note(author, text, now)

    def notes(self, reference: str) -> list[Note]:
        """Return an escalation's notes, oldest first."""
        with Session(self.engine) as session:
            query = sa.select(NoteRow).where(NoteRow.reference == reference).order_by(NoteRow.id)
            rows = session.execute(query).scalars()
            return [Note(r.author, r.text, as_utc(r.created_at)) for r in rows]

    def mark_reminded(self, reference: str, waiting_since: float) -> bool:
        """Record that the person is told about their message of ``waiting_since``; True once.

        One guarded update: of several server processes noticing the same quiet worker at the
        same moment, exactly one is told to remind the person.
        """
        with Session(self.engine) as session, session.begin():
            changed = session.execute(
                sa.update(EscalationRow)
                .where(
                    EscalationRow.reference == reference,
                    sa.or_(
                        EscalationRow.reminded_for.is_(None),
                        EscalationRow.reminded_for < waiting_since,
                    ),
                )
                .values(reminded_for=waiting_since)
                .execution_options(synchronize_session=False)
            )
            return bool(changed.rowcount)
