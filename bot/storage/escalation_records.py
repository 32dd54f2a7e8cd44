"""Escalation records: the tables, the values an escalation carries, and how closes are named.

``bot/storage/escalations.py`` is the store that opens and changes them; this module holds what
the store, the console and the actions share: the rows (tables made by the migrations), the
``Escalation`` and ``Note`` the rest of the code sees, the statuses and the close outcomes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import sqlalchemy as sa

from bot.figures.events import FigureEvent, Measure, category, profile_id, staffed_at, uk_day
from bot.storage.database import Base, as_utc

# How a duty worker closed an escalation (the console's choices, stored as these values).
OUTCOMES = {
    "signposted": "Signposted",
    "referred_to_mash": "Referred to MASH",
    "police_informed": "Police informed",
    "no_further_action": "No further action",
    "lost_contact": "Lost contact",
    "false_alarm": "Not a safeguarding concern (false alarm)",
}
FALSE_ALARM = "false_alarm"
# Closed by the person's own follow-up before it reached the queue (never a worker's choice).
WITHDRAWN = "withdrawn_by_person"
WITHDRAWN_BY = "the person (follow-up message)"


class Opened(str, Enum):
    """What :meth:`EscalationStore.open` did."""

    NEW = "new"  # a new escalation, with a new reference
    RAISED = "raised"  # the conversation's active escalation, made more urgent
    EXISTING = "existing"  # the conversation's active escalation (or this message's), as it was


class EscalationError(ValueError):
    """An escalation cannot be changed as asked (the message says why)."""


class Status(str, Enum):
    """Where an escalation stands."""

    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class EscalationRow(Base):
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
    subject = sa.Column(sa.String(20), nullable=False)
    indicators = sa.Column(sa.Text, nullable=False)  # JSON list of indicator names
    evidence_message_ids = sa.Column(sa.Text, nullable=False)  # JSON list of message ids
    outcome = sa.Column(sa.String(30), nullable=True)
    closed_by = sa.Column(sa.String(100), nullable=True)
    closed_at = sa.Column(sa.DateTime(timezone=True), nullable=True)
    # raised by one message: kept from the queue until then, so a follow-up can take it back
    withdrawable_until = sa.Column(sa.DateTime(timezone=True), nullable=True)
    # when the message was sent that the person was last told their worker is quiet about
    reminded_for = sa.Column(sa.Float, nullable=True)
    first_claimed_at = sa.Column(sa.DateTime(timezone=True), nullable=True)  # for the figures


class NoteRow(Base):
    """The ``escalation_notes`` table: a duty worker's private notes (migration 6)."""

    __tablename__ = "escalation_notes"
    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(9), nullable=False)
    author = sa.Column(sa.String(100), nullable=False)
    text = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class EscalationLinkRow(Base):
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
    outcome: str | None = None
    closed_by: str | None = None
    subject: str = "unknown"
    indicators: tuple[str, ...] = ()
    evidence_message_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Caseload:
    """One duty worker's own figures: what they closed in a period, and what they hold now."""

    closed: dict[str, int]  # by outcome
    seconds_to_close: list[float]  # from raised to their close, one per escalation
    holding: int


@dataclass(frozen=True)
class Note:
    """A duty worker's private note on an escalation."""

    author: str
    text: str
    created_at: datetime


def as_escalation(row: EscalationRow) -> Escalation:
    """Return the escalation a stored row holds."""
    return Escalation(
        reference=row.reference,
        priority=row.priority,
        route=row.route,
        channel=row.channel,
        conversation_id=row.conversation_id,
        status=row.status,
        consent=row.consent,
        created_at=as_utc(row.created_at),
        claimed_by=row.claimed_by,
        outcome=row.outcome,
        closed_by=row.closed_by,
        subject=row.subject,
        indicators=tuple(json.loads(row.indicators or "[]")),
        evidence_message_ids=tuple(json.loads(row.evidence_message_ids or "[]")),
    )


def figure(
    measure: Measure,
    row: EscalationRow,
    now: datetime,
    outcome: str = "",
    seconds: float | None = None,
) -> FigureEvent:
    """Return the anonymous figure event of ``measure`` for the escalation ``row`` at ``now``.

    It holds the escalation's priority, route, category, who it is about, channel and whether
    the duty team was staffed when it was raised; never its reference, conversation or text.
    """
    raised = as_utc(row.created_at)
    return FigureEvent(
        measure=measure,
        day=uk_day(now),
        channel=row.channel,
        profile=profile_id(),
        item=category(row.route, json.loads(row.indicators or "[]")).value,
        priority=row.priority,
        route=row.route,
        subject=row.subject,
        staffed=staffed_at(raised),
        outcome=outcome,
        seconds=seconds,
    )


def seconds_since_raised(row: EscalationRow, now: datetime) -> float:
    """Return how long ago ``row`` was raised, in seconds."""
    return (now - as_utc(row.created_at)).total_seconds()
