"""Inbound texts: each Twilio message id counted once, and queued until its turn has run.

A text is recorded before Twilio is told it arrived, with the text itself (encrypted) until it
has been processed, so a text acknowledged just before a crash is processed afterwards. The
recorded texts are a queue that every server worker takes from (``take_pending``): a person's
texts one at a time and in the order they came, whichever worker takes each. While a worker
processes a text, it is taken by that server's generation (an id shared by the workers of one
``bot run``, new at each start) for a lease: other workers leave it alone, a restarted server
takes it at once, and a worker of the same server takes it when the lease runs out. A text is
given back after a failed turn and taken again ``RETRY_AFTER`` later, for as long as it takes
(never dropped); after ``MAX_ATTEMPTS`` it no longer holds up the person's later texts.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from bot.storage.sms_records import InboundRow, SeenRow

GENERATION_SETTING = "BOT_SERVER_GENERATION"  # set by `bot run` for the workers it starts
# how long a text being processed is left to the worker that took it
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3  # tries before a failing text stops holding up the person's later texts
RETRY_AFTER = timedelta(seconds=30)
TAKEN_AT_ONCE = 50


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
    ) -> bool:
        """Record an inbound message id; return False when it was already seen.

        ``pending_encrypted`` (the encrypted message and sender) is kept until
        :meth:`mark_processed`, so a message acknowledged just before a crash is processed after
        the restart instead of being lost. ``message_key`` (a keyed hash of the id) is kept for
        good, so a replay is refused even after the message was erased. The text waits in the
        queue for a worker to take it (:meth:`take_pending`).
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
        """Take the next texts to process; return them.

        A text is next when no earlier unprocessed text of its conversation has been tried fewer
        than ``MAX_ATTEMPTS`` times (so a person's texts are processed one at a time, in order,
        and one that keeps failing stops holding up the rest) and no live worker has it: nobody
        took it, a server generation that has since stopped took it (a restart), or its lease or
        retry delay ran out. Each is taken by one guarded update, so of several workers taking at
        once exactly one gets it. Oldest first, as ``(message_sid, conversation_id,
        pending_encrypted)``.
        """
        now = now or _now()
        earlier = aliased(InboundRow)
        next_text = sa.and_(
            InboundRow.pending_encrypted.is_not(None),
            sa.or_(
                InboundRow.taken_by.is_(None),
                InboundRow.taken_by != generation,
                InboundRow.taken_until < now,
            ),
            ~sa.exists().where(
                earlier.conversation_id == InboundRow.conversation_id,
                earlier.pending_encrypted.is_not(None),
                earlier.attempts < MAX_ATTEMPTS,
                sa.tuple_(earlier.received_at, earlier.message_sid)
                < sa.tuple_(InboundRow.received_at, InboundRow.message_sid),
            ),
        )
        taken = []
        for message_sid, conversation_id, sealed in self._next_texts(next_text):
            with Session(self.engine) as session, session.begin():
                won = session.execute(
                    sa.update(InboundRow)
                    .where(InboundRow.message_sid == message_sid, next_text)
                    .values(
                        taken_by=generation,
                        taken_until=now + LEASE,
                        attempts=InboundRow.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if won.rowcount:
                    taken.append((message_sid, conversation_id, sealed))
        return taken

    def release(self, message_sid: str, now: datetime | None = None) -> None:
        """Give back a text whose turn failed, to be taken again ``RETRY_AFTER`` from now."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.update(InboundRow)
                .where(InboundRow.message_sid == message_sid)
                .values(taken_until=(now or _now()) + RETRY_AFTER)
                .execution_options(synchronize_session=False)
            )

    def _next_texts(self, next_text: sa.sql.ColumnElement[bool]) -> list[tuple[str, str, str]]:
        with Session(self.engine) as session:
            rows = session.execute(
                sa.select(InboundRow)
                .where(next_text)
                .order_by(InboundRow.received_at, InboundRow.message_sid)
                .limit(TAKEN_AT_ONCE)
            ).scalars()
            return [(r.message_sid, r.conversation_id, str(r.pending_encrypted)) for r in rows]
