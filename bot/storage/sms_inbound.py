"""Inbound texts: each Twilio message id counted once, and kept until its turn has run.

A text is recorded before Twilio is told it arrived, with the text itself (encrypted) until it
has been processed, so a text acknowledged just before a crash is processed afterwards. While a
worker processes it, the text is taken by that server's generation (an id shared by the workers
of one ``bot run``, new at each start) for a lease: other workers leave it alone, a restarted
server takes it at once, and a worker of the same server takes it when the lease runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.sms_records import InboundRow, SeenRow

GENERATION_SETTING = "BOT_SERVER_GENERATION"  # set by `bot run` for the workers it starts
# how long a text being processed is left to the worker that took it
LEASE = timedelta(minutes=5)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class InboundTexts:
    """The ``sms_inbound`` and ``sms_seen`` tables (the SMS store's first half)."""

    engine: sa.engine.Engine

    def first_delivery(
        self,
        message_sid: str,
        message_key: str,
        conversation_id: str,
        pending_encrypted: str | None = None,
        taken_by: str | None = None,
    ) -> bool:
        """Record an inbound message id; return False when it was already seen.

        ``pending_encrypted`` (the encrypted message and sender) is kept until
        :meth:`mark_processed`, so a message acknowledged just before a crash is processed after
        the restart instead of being lost. ``message_key`` (a keyed hash of the id) is kept for
        good, so a replay is refused even after the message was erased. ``taken_by`` (the server
        generation processing it now) keeps the other workers from taking it while its lease runs.
        """
        try:
            with Session(self.engine) as session, session.begin():
                session.add(SeenRow(message_key=message_key, seen_at=_now()))
                session.add(
                    InboundRow(
                        message_sid=message_sid,
                        conversation_id=conversation_id,
                        received_at=_now(),
                        pending_encrypted=pending_encrypted,
                        taken_by=taken_by,
                        taken_until=_now() + LEASE if taken_by else None,
                    )
                )
        except IntegrityError:
            return False
        return True

    def mark_processed(self, message_sid: str) -> None:
        """Forget the pending text of a processed message (only its id is kept)."""
        with Session(self.engine) as session, session.begin():
            row = session.get(InboundRow, message_sid)
            if row is not None:
                row.pending_encrypted = None

    def pending(self) -> list[tuple[str, str, str]]:
        """Return ``(message_sid, conversation_id, pending_encrypted)`` not yet processed."""
        with Session(self.engine) as session:
            query = (
                sa.select(InboundRow)
                .where(InboundRow.pending_encrypted.is_not(None))
                .order_by(InboundRow.received_at)
            )
            return [
                (row.message_sid, row.conversation_id, str(row.pending_encrypted))
                for row in session.execute(query).scalars()
            ]

    def take_pending(
        self, generation: str, now: datetime | None = None
    ) -> list[tuple[str, str, str]]:
        """Take the texts left unprocessed that no live worker is processing; return them.

        A text is free when nobody took it, when a server generation that has since stopped took
        it (a restart), or when its lease ran out (a worker of this generation died with it).
        Each is taken by one guarded update, so of several workers recovering at once exactly
        one gets it. Oldest first, as ``(message_sid, conversation_id, pending_encrypted)``.
        """
        now = now or _now()
        free = sa.and_(
            InboundRow.pending_encrypted.is_not(None),
            sa.or_(
                InboundRow.taken_by.is_(None),
                InboundRow.taken_by != generation,
                InboundRow.taken_until < now,
            ),
        )
        taken = []
        for message_sid, conversation_id, sealed in self._free_texts(free):
            with Session(self.engine) as session, session.begin():
                won = session.execute(
                    sa.update(InboundRow)
                    .where(InboundRow.message_sid == message_sid, free)
                    .values(taken_by=generation, taken_until=now + LEASE)
                    .execution_options(synchronize_session=False)
                )
                if won.rowcount:
                    taken.append((message_sid, conversation_id, sealed))
        return taken

    def _free_texts(self, free: sa.sql.ColumnElement[bool]) -> list[tuple[str, str, str]]:
        with Session(self.engine) as session:
            rows = session.execute(
                sa.select(InboundRow).where(free).order_by(InboundRow.received_at)
            ).scalars()
            return [(r.message_sid, r.conversation_id, str(r.pending_encrypted)) for r in rows]
