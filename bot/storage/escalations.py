"""Escalations: committed to the database before anyone is told their reference number.

A conversation has at most one active (open or claimed) escalation: a later danger or
disclosure in the same conversation, or the same message delivered twice, returns the
existing one (raising its priority when the new message is more urgent) instead of opening
another. A database constraint holds this even across processes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base

from bot.storage.database import create_engine
from bot.storage.migrations import migrate
from bot.storage.references import new_reference

Base = declarative_base()
NEW_REFERENCE_ATTEMPTS = 5


class Priority(int, Enum):
    """How urgent an escalation is: 1 is the most urgent."""

    DANGER = 1
    DISCLOSURE = 2
    CONCERN = 3

    @property
    def route(self) -> str:
        """Return the safety route an escalation of this priority records."""
        return self.name.lower()


# The priority each safety route escalates at; "check" once the person confirms it.
ROUTE_PRIORITIES = {
    "danger": Priority.DANGER,
    "disclosure": Priority.DISCLOSURE,
    "check": Priority.DISCLOSURE,
    "concern": Priority.CONCERN,
}


class Status(str, Enum):
    """Where an escalation stands."""

    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class EscalationRow(Base):  # type: ignore[valid-type,misc]
    """The ``escalations`` table (created by migration 1)."""

    __tablename__ = "escalations"
    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(9), nullable=False, unique=True)
    priority = sa.Column(sa.Integer, nullable=False)
    route = sa.Column(sa.String(20), nullable=False)
    channel = sa.Column(sa.String(40), nullable=False)
    conversation_id = sa.Column(sa.String(200), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    consent = sa.Column(sa.String(10), nullable=False)
    status = sa.Column(sa.String(10), nullable=False)
    trigger_text = sa.Column(sa.Text, nullable=False)
    trigger_message_id = sa.Column(sa.String(200), nullable=True, unique=True)
    claimed_by = sa.Column(sa.String(100), nullable=True)


class EscalationLinkRow(Base):  # type: ignore[valid-type,misc]
    """The ``escalation_links`` table: a later conversation that quoted a reference."""

    __tablename__ = "escalation_links"
    id = sa.Column(sa.Integer, primary_key=True)
    escalation_id = sa.Column(sa.Integer, sa.ForeignKey("escalations.id"), nullable=False)
    conversation_id = sa.Column(sa.String(200), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


@dataclass(frozen=True)
class Escalation:
    """An escalation as the rest of the code sees it."""

    reference: str
    priority: int
    route: str
    channel: str
    conversation_id: str
    status: str
    consent: str
    created_at: datetime
    claimed_by: str | None = None


def _as_escalation(row: EscalationRow) -> Escalation:
    return Escalation(
        reference=row.reference,
        priority=row.priority,
        route=row.route,
        channel=row.channel,
        conversation_id=row.conversation_id,
        status=row.status,
        consent=row.consent,
        # SQLite hands back naive datetimes; they were stored in UTC
        created_at=row.created_at.replace(tzinfo=row.created_at.tzinfo or timezone.utc),
        claimed_by=row.claimed_by,
    )


def _active(session: Session, conversation_id: str) -> EscalationRow | None:
    query = sa.select(EscalationRow).where(
        EscalationRow.conversation_id == conversation_id,
        EscalationRow.status != Status.CLOSED.value,
    )
    return session.execute(query).scalar_one_or_none()


class EscalationStore:
    """Open, find and link escalations in the assistant's database."""

    def __init__(self, url: str | None = None) -> None:
        """Connect to ``url`` (``BOT_DATABASE_URL`` by default) and apply migrations."""
        self.engine = create_engine(url)
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
    ) -> tuple[Escalation, bool]:
        """Open (and commit) an escalation, or return the conversation's active one.

        Returns the escalation and whether it is new. Raises if the database cannot commit:
        the caller must then not show a reference.
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
                            return _as_escalation(same_message), False
                    active = _active(session, conversation_id)
                    if active is not None:
                        if priority < active.priority:
                            active.priority, active.route = int(priority), route
                        return _as_escalation(active), False
                    row = EscalationRow(
                        reference=new_reference(),
                        priority=int(priority),
                        route=route,
                        channel=channel,
                        conversation_id=conversation_id,
                        created_at=datetime.now(timezone.utc),
                        consent="unknown",
                        status=Status.OPEN.value,
                        trigger_text=trigger_text,
                        trigger_message_id=trigger_message_id,
                    )
                    session.add(row)
                    session.flush()
                    escalation = _as_escalation(row)
                return escalation, True
            except IntegrityError:
                continue  # a reference collision or a concurrent insert: look again
        raise RuntimeError("could not open an escalation after several attempts")

    def active_for(self, conversation_id: str) -> Escalation | None:
        """Return the conversation's open or claimed escalation, if any."""
        with Session(self.engine) as session:
            row = _active(session, conversation_id)
            return _as_escalation(row) if row else None

    def all_for(self, conversation_id: str) -> list[Escalation]:
        """Return every escalation of a conversation, oldest first."""
        with Session(self.engine) as session:
            query = (
                sa.select(EscalationRow)
                .where(EscalationRow.conversation_id == conversation_id)
                .order_by(EscalationRow.id)
            )
            return [_as_escalation(r) for r in session.execute(query).scalars()]

    def set_consent(self, conversation_id: str, consent: bool) -> None:
        """Record whether the person wants to talk to a duty worker now."""
        with Session(self.engine) as session, session.begin():
            row = _active(session, conversation_id)
            if row is not None:
                row.consent = "yes" if consent else "no"

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
            holder = session.execute(
                sa.select(EscalationRow.claimed_by).where(EscalationRow.reference == reference)
            ).scalar_one_or_none()
        return bool(won), holder

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

    def links_for(self, reference: str) -> list[str]:
        """Return the conversations that quoted ``reference`` (what a duty worker is told)."""
        with Session(self.engine) as session:
            query = (
                sa.select(EscalationLinkRow.conversation_id)
                .join(EscalationRow, EscalationRow.id == EscalationLinkRow.escalation_id)
                .where(EscalationRow.reference == reference)
            )
            return list(session.execute(query).scalars())
