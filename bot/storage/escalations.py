"""Escalations: committed to the database before anyone is told their reference number.

A conversation has at most one active (open or claimed) escalation: a later danger or
disclosure in the same conversation, or the same message delivered twice, returns the
existing one (raising its priority when the new message is more urgent) instead of opening
another. A database constraint holds this even across processes.

An escalation raised by one message alone (or two in a row) is committed (and its reference
shown) at once, but kept from the queue for a minute (``escalation_window.py``): if the
person's next message takes it back ("oh wait, it's the postman"), it is closed as withdrawn and
no duty worker is alarmed. Once the window has passed, the next message keeps it, or more
evidence arrives, it is in the queue like any other; nothing has to run for the window to end, so
a server that dies in between loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.figures.events import Measure
from bot.safety.routes import Priority
from bot.storage.database import as_utc, create_engine
from bot.storage.escalation_links import LinksAndNotes
from bot.storage.escalation_records import (
    OUTCOMES,
    Caseload,
    Escalation,
    EscalationError,
    EscalationLinkRow,
    EscalationRow,
    Opened,
    Status,
    as_escalation,
    figure,
    seconds_since_raised,
)
from bot.storage.escalation_window import WithdrawalWindow, in_queue, withdrawal_window
from bot.storage.figures import add_figures
from bot.storage.migrations import migrate
from bot.storage.references import new_reference

NEW_REFERENCE_ATTEMPTS = 5


def _merged(stored: str | None, new: Sequence[str]) -> str:
    """Return the JSON list of ``stored`` with ``new`` added, in first-seen order."""
    values = json.loads(stored or "[]")
    return json.dumps([*values, *(v for v in new if v not in values)])


def _by_reference(session: Session, reference: str) -> EscalationRow:
    query = sa.select(EscalationRow).where(EscalationRow.reference == reference)
    return session.execute(query).scalar_one()


def _active(session: Session, conversation_id: str) -> EscalationRow | None:
    query = sa.select(EscalationRow).where(
        EscalationRow.conversation_id == conversation_id,
        EscalationRow.status != Status.CLOSED.value,
    )
    return session.execute(query).scalar_one_or_none()


class EscalationStore(LinksAndNotes, WithdrawalWindow):
    """Open, find and link escalations in the assistant's database."""

    def __init__(self, url: str | None = None, window: timedelta | None = None) -> None:
        """Connect to ``url`` (``BOT_DATABASE_URL`` by default) and apply migrations.

        ``window``: how long an escalation the next message may take back waits (by default
        :func:`withdrawal_window`).
        """
        self.engine = create_engine(url)
        self.window = withdrawal_window() if window is None else window
        migrate(self.engine)

    def open(
        self,
        *,
        conversation_id: str,
        channel: str,
        priority: Priority,
        route: str,
        trigger_text: str,
        trigger_message_id: str | None = None,
        subject: str = "unknown",
        indicators: Sequence[str] = (),
        evidence_message_ids: Sequence[str] = (),
        withdrawable: bool = False,
    ) -> tuple[Escalation, Opened]:
        """Open (and commit) an escalation, or return the conversation's active one.

        Returns the escalation and whether it is new, raised or as it was. An active one is
        raised to ``priority`` if that is more urgent, and gains the new indicators and
        evidence (new evidence puts it in the queue at once). A new one the next message may
        take back (``withdrawable``) waits ``self.window`` before it is queued. Raises if the
        database cannot commit: the caller must then not show a reference.
        """
        for _ in range(NEW_REFERENCE_ATTEMPTS):
            try:
                with Session(self.engine) as session, session.begin():
                    if trigger_message_id:
                        query = sa.select(EscalationRow).where(
                            EscalationRow.trigger_message_id == trigger_message_id
                        )
                        same_message = session.execute(query).scalar_one_or_none()
                        if same_message is not None:
                            return as_escalation(same_message), Opened.EXISTING
                    active = _active(session, conversation_id)
                    if active is not None:
                        opened = Opened.EXISTING
                        if priority < active.priority:
                            active.priority, active.route = int(priority), route
                            active.subject, opened = subject, Opened.RAISED
                        active.indicators = _merged(active.indicators, indicators)
                        merged = _merged(active.evidence_message_ids, evidence_message_ids)
                        if merged != active.evidence_message_ids:
                            active.evidence_message_ids, active.withdrawable_until = merged, None
                        return as_escalation(active), opened
                    now = datetime.now(timezone.utc)
                    row = EscalationRow(
                        reference=new_reference(),
                        priority=int(priority),
                        route=route,
                        channel=channel,
                        conversation_id=conversation_id,
                        created_at=now,
                        withdrawable_until=now + self.window if withdrawable else None,
                        consent="unknown",
                        status=Status.OPEN.value,
                        trigger_text=trigger_text,
                        trigger_message_id=trigger_message_id,
                        subject=subject,
                        indicators=json.dumps(list(indicators)),
                        evidence_message_ids=json.dumps(list(evidence_message_ids)),
                    )
                    session.add(row)
                    add_figures(session, [figure(Measure.ESCALATION, row, now)])
                    session.flush()
                    escalation = as_escalation(row)
                return escalation, Opened.NEW
            except IntegrityError:
                continue  # a reference collision or a concurrent insert: look again
        raise RuntimeError("could not open an escalation after several attempts")

    def active_for(self, conversation_id: str) -> Escalation | None:
        """Return the conversation's open or claimed escalation, if any."""
        with Session(self.engine) as session:
            row = _active(session, conversation_id)
            return as_escalation(row) if row else None

    def all_for(self, conversation_id: str) -> list[Escalation]:
        """Return every escalation of a conversation, oldest first."""
        with Session(self.engine) as session:
            query = (
                sa.select(EscalationRow)
                .where(EscalationRow.conversation_id == conversation_id)
                .order_by(EscalationRow.id)
            )
            return [as_escalation(r) for r in session.execute(query).scalars()]

    def set_consent(self, conversation_id: str, consent: bool) -> None:
        """Record whether the person wants to talk to a duty worker now."""
        with Session(self.engine) as session, session.begin():
            row = _active(session, conversation_id)
            if row is not None:
                row.consent = "yes" if consent else "no"

    def claim(self, reference: str, worker: str) -> tuple[bool, str | None]:
        """Claim an open escalation for ``worker`` in one atomic update.

        Returns whether this call won and who holds the escalation now: of two workers claiming
        at once, exactly one wins and the other is told who has it.
        """
        with Session(self.engine) as session, session.begin():
            won = session.execute(
                sa.update(EscalationRow)
                .where(
                    EscalationRow.reference == reference,
                    EscalationRow.status == Status.OPEN.value,
                )
                .values(status=Status.CLAIMED.value, claimed_by=worker)
            ).rowcount
            row = session.execute(
                sa.select(EscalationRow).where(EscalationRow.reference == reference)
            ).scalar_one_or_none()
            if won and row is not None and row.first_claimed_at is None:
                now = datetime.now(timezone.utc)
                row.first_claimed_at = now
                wait = seconds_since_raised(row, now)
                add_figures(session, [figure(Measure.ESCALATION_CLAIMED, row, now, seconds=wait)])
            holder = None if row is None else row.claimed_by
        return bool(won), holder

    def get(self, reference: str) -> Escalation | None:
        """Return the escalation with ``reference``, if there is one."""
        with Session(self.engine) as session:
            row = session.execute(
                sa.select(EscalationRow).where(EscalationRow.reference == reference)
            ).scalar_one_or_none()
            return as_escalation(row) if row else None

    def queue(self) -> list[Escalation]:
        """Return the open and claimed escalations a worker can see, most urgent first.

        Then longest waiting; one raised by a single message only once its window has passed.
        """
        with Session(self.engine) as session:
            query = (
                sa.select(EscalationRow)
                .where(
                    EscalationRow.status != Status.CLOSED.value,
                    in_queue(datetime.now(timezone.utc)),
                )
                .order_by(EscalationRow.priority, EscalationRow.created_at, EscalationRow.id)
            )
            return [as_escalation(r) for r in session.execute(query).scalars()]

    def transfer(self, reference: str, holder: str | None, to_worker: str) -> Escalation:
        """Hand a claimed escalation from ``holder`` (any holder when None) to ``to_worker``."""
        condition = [
            EscalationRow.reference == reference,
            EscalationRow.status == Status.CLAIMED.value,
        ]
        if holder is not None:
            condition.append(EscalationRow.claimed_by == holder)
        with Session(self.engine) as session, session.begin():
            moved = session.execute(
                sa.update(EscalationRow).where(*condition).values(claimed_by=to_worker)
            ).rowcount
        if not moved:
            raise EscalationError("only the worker who holds a conversation can transfer it")
        return self._require(reference)

    def release(self, reference: str, holder: str) -> bool:
        """Put a claimed escalation back in the queue if ``holder`` still holds it."""
        with Session(self.engine) as session, session.begin():
            released = session.execute(
                sa.update(EscalationRow)
                .where(
                    EscalationRow.reference == reference,
                    EscalationRow.status == Status.CLAIMED.value,
                    EscalationRow.claimed_by == holder,
                )
                .values(status=Status.OPEN.value, claimed_by=None)
            ).rowcount
            if released:
                row = _by_reference(session, reference)
                now = datetime.now(timezone.utc)
                add_figures(session, [figure(Measure.ESCALATION_RELEASED, row, now)])
        return bool(released)

    def close(
        self, reference: str, worker: str, outcome: str, override: bool = False
    ) -> tuple[Escalation, str]:
        """Close an open or claimed escalation with one of :data:`OUTCOMES`.

        Only the holder closes a claimed escalation, unless ``override`` (a supervisor). Returns
        the closed escalation and the status it had, changed in one guarded update: if it changed
        in between (say, someone claimed it), nothing is closed and the caller is told to retry.
        """
        if outcome not in OUTCOMES:
            raise EscalationError(f"the outcome must be one of {', '.join(OUTCOMES)}")
        before = self.get(reference)
        if before is None or before.status == Status.CLOSED.value:
            raise EscalationError("this escalation is not open")
        if before.status == Status.CLAIMED.value and before.claimed_by != worker and not override:
            raise EscalationError(f"{before.claimed_by} holds this conversation")
        now = datetime.now(timezone.utc)
        with Session(self.engine) as session, session.begin():
            holder = EscalationRow.claimed_by
            closed = session.execute(
                sa.update(EscalationRow)
                .where(
                    EscalationRow.reference == reference,
                    EscalationRow.status == before.status,
                    holder.is_(None) if before.claimed_by is None else holder == before.claimed_by,
                )
                .values(
                    status=Status.CLOSED.value, outcome=outcome, closed_by=worker, closed_at=now
                )
            ).rowcount
            if closed:
                row = _by_reference(session, reference)
                wait = seconds_since_raised(row, now)
                event = figure(Measure.ESCALATION_CLOSED, row, now, outcome=outcome, seconds=wait)
                add_figures(session, [event])
        if not closed:
            raise EscalationError("this escalation changed just now: look again and retry")
        return self._require(reference), before.status

    def reopen(self, reference: str) -> Escalation:
        """Reopen a closed escalation (unless its conversation has another active one)."""
        try:
            with Session(self.engine) as session, session.begin():
                row = session.execute(
                    sa.select(EscalationRow).where(EscalationRow.reference == reference)
                ).scalar_one_or_none()
                if row is None or row.status != Status.CLOSED.value:
                    raise EscalationError("only a closed escalation can be reopened")
                if _active(session, row.conversation_id) is not None:
                    raise EscalationError("this conversation already has an open escalation")
                row.status, row.claimed_by = Status.OPEN.value, None
                row.outcome = row.closed_by = row.closed_at = None
                now = datetime.now(timezone.utc)
                add_figures(session, [figure(Measure.ESCALATION_REOPENED, row, now)])
        except IntegrityError as error:  # another one opened at the same moment
            raise EscalationError("this conversation already has an open escalation") from error
        return self._require(reference)

    def _require(self, reference: str) -> Escalation:
        escalation = self.get(reference)
        if escalation is None:
            raise EscalationError("there is no escalation with this reference")
        return escalation

    def outcome_counts(
        self, since: datetime, until: datetime | None = None, closed_by: str | None = None
    ) -> dict[str, int]:
        """Return how many escalations closed since ``since`` (until, by whom) had each outcome."""
        query = sa.select(EscalationRow.outcome, sa.func.count()).where(
            EscalationRow.status == Status.CLOSED.value, EscalationRow.closed_at >= since
        )
        if until is not None:
            query = query.where(EscalationRow.closed_at < until)
        if closed_by is not None:
            query = query.where(EscalationRow.closed_by == closed_by)
        with Session(self.engine) as session:
            return {
                str(o): int(n) for o, n in session.execute(query.group_by(EscalationRow.outcome))
            }

    def caseload(self, worker: str, since: datetime, until: datetime) -> Caseload:
        """Return one worker's own caseload: what they closed between two times, what they hold."""
        closed = self.outcome_counts(since, until, closed_by=worker)
        query = sa.select(EscalationRow.created_at, EscalationRow.closed_at).where(
            EscalationRow.status == Status.CLOSED.value,
            EscalationRow.closed_by == worker,
            EscalationRow.closed_at >= since,
            EscalationRow.closed_at < until,
        )
        held = sa.select(sa.func.count()).where(
            EscalationRow.status == Status.CLAIMED.value, EscalationRow.claimed_by == worker
        )
        with Session(self.engine) as session:
            times = [
                (as_utc(done) - as_utc(raised)).total_seconds()
                for raised, done in session.execute(query)
            ]
            holding = int(session.execute(held).scalar_one())
        return Caseload(closed, times, holding)

    def held_conversations(self) -> set[str]:
        """Return the conversations whose escalation a duty worker has claimed."""
        query = sa.select(EscalationRow.conversation_id).where(
            EscalationRow.status == Status.CLAIMED.value
        )
        with Session(self.engine) as session:
            return set(session.execute(query).scalars())

    def conversations_to_keep(self, among: Collection[str] | None = None) -> set[str]:
        """Return the conversations kept as the safeguarding record (of ``among`` if given).

        Those are the ones with an escalation, open or closed, or that quoted a reference:
        neither retention nor a request to delete removes them.
        """
        escalated = sa.select(EscalationRow.conversation_id)
        linked = sa.select(EscalationLinkRow.conversation_id)
        if among is not None:
            escalated = escalated.where(EscalationRow.conversation_id.in_(among))
            linked = linked.where(EscalationLinkRow.conversation_id.in_(among))
        with Session(self.engine) as session:
            return {*session.execute(escalated).scalars(), *session.execute(linked).scalars()}
