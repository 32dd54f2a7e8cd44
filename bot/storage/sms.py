"""SMS records: inbound ids, contacts and every outbound message with its final status.

Inbound message ids make a retry count once, even after a restart (``sms_inbound.py``). A
contact holds the encrypted address, opt-out, safe-to-text and the numbered options last
offered. Every outbound message is recorded with its final status, so a failed send is never
only a log line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.figures.events import FigureEvent, Measure, profile_id, uk_day
from bot.storage.database import create_engine
from bot.storage.figures import add_figures
from bot.storage.migrations import migrate
from bot.storage.sms_inbound import InboundTexts
from bot.storage.sms_records import ContactRow, InboundRow, OutboundRow, StatusUpdateRow

# Final states reported by Twilio; anything else may still change.
FINAL_STATUSES = {"delivered", "undelivered", "failed", "not_sent"}
# texts that did not reach the person ("interrupted": a crash came while it was being sent, and
# it is never sent again, since it may have gone)
UNSENT_STATUSES = ("failed", "undelivered", "not_sent", "interrupted")
PLANNED, SENDING, INTERRUPTED = "planned", "sending", "interrupted"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _next_status(
    current: tuple[str, int | None], status: str, error_code: int | None
) -> tuple[str, int | None]:
    """Return a message's status and error code after a report of ``status``.

    A final status is never moved back to a passing one; an error code, once known, is kept.
    """
    moved = current[0] not in FINAL_STATUSES or status in FINAL_STATUSES
    return (status if moved else current[0], current[1] if error_code is None else error_code)


def _settle(session: Session, twilio_sid: str) -> bool:
    """Apply every kept status callback for ``twilio_sid``, in order of arrival, to its message.

    Return False while no message has that id yet. The send's record and a callback each call
    this after committing their own row, so whichever commits second sees both: no status is
    lost, whatever the isolation level. The message's row is locked first (PostgreSQL), and
    the write is guarded so that a final status is never replaced by a passing one (SQLite,
    which has no row locks). Applying the same callbacks again changes nothing.
    """
    query = sa.select(OutboundRow).where(OutboundRow.twilio_sid == twilio_sid)
    row = session.execute(query.with_for_update()).scalar_one_or_none()
    if row is None:
        return False
    state: tuple[str, int | None] = (row.status, row.error_code)
    kept = sa.select(StatusUpdateRow).where(StatusUpdateRow.twilio_sid == twilio_sid)
    for update in session.execute(kept.order_by(StatusUpdateRow.id)).scalars():
        state = _next_status(state, update.status, update.error_code)
    guard = sa.true() if state[0] in FINAL_STATUSES else OutboundRow.status.notin_(FINAL_STATUSES)
    moved = session.execute(
        sa.update(OutboundRow)
        .where(OutboundRow.id == row.id, guard)
        .values(status=state[0], error_code=state[1], updated_at=_now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved and row.status not in UNSENT_STATUSES and state[0] in UNSENT_STATUSES:
        add_figures(session, [_sms_figure(Measure.SMS_FAILED)])  # counted when it first fails
    return True


def _sms_figure(measure: Measure) -> FigureEvent:
    """Return an SMS figure event for now (no number, no conversation)."""
    return FigureEvent(measure, uk_day(_now()), channel="sms", profile=profile_id())


@dataclass(frozen=True)
class Contact:
    """What is kept about a texter."""

    conversation_id: str
    address_encrypted: str
    opted_out: bool
    safe_to_text: bool | None
    safe_to_text_asked: bool
    options: list[str]


@dataclass(frozen=True)
class Outbound:
    """One message we sent, or tried to send."""

    id: int
    conversation_id: str
    body: str
    segments: int
    status: str
    twilio_sid: str | None
    error_code: int | None
    attempts: int


def _contact(row: ContactRow) -> Contact:
    return Contact(
        row.conversation_id,
        row.address_encrypted,
        row.opted_out,
        row.safe_to_text,
        row.safe_to_text_asked,
        json.loads(row.options),
    )


def _outbound(row: OutboundRow) -> Outbound:
    return Outbound(
        row.id,
        row.conversation_id,
        row.body,
        row.segments,
        row.status,
        row.twilio_sid,
        row.error_code,
        row.attempts,
    )


class SmsStore(InboundTexts):
    """Read and write the SMS tables of the assistant's database."""

    def __init__(self, url: str | None = None, engine: sa.engine.Engine | None = None) -> None:
        """Use ``engine``, or connect to ``url`` (``BOT_DATABASE_URL`` by default); migrate."""
        self.engine = engine or create_engine(url)
        migrate(self.engine)

    def remember_contact(self, conversation_id: str, address_encrypted: str) -> Contact:
        """Create or refresh the contact for a conversation; return it."""
        with Session(self.engine) as session, session.begin():
            row = session.get(ContactRow, conversation_id)
            if row is None:
                row = ContactRow(
                    conversation_id=conversation_id,
                    opted_out=False,
                    safe_to_text=None,
                    safe_to_text_asked=False,
                    options="[]",
                )
                session.add(row)
            row.address_encrypted = address_encrypted
            row.updated_at = _now()
            session.flush()
            return _contact(row)

    def contact(self, conversation_id: str) -> Contact | None:
        """Return the contact of a conversation, if any."""
        with Session(self.engine) as session:
            row = session.get(ContactRow, conversation_id)
            return None if row is None else _contact(row)

    def set_opted_out(self, conversation_id: str, opted_out: bool) -> None:
        """Record that the texter opted out (STOP) or back in (START); count each opt-out."""
        with Session(self.engine) as session, session.begin():
            row = session.get(ContactRow, conversation_id)
            if row is None:
                return
            if opted_out and not row.opted_out:
                add_figures(session, [_sms_figure(Measure.SMS_OPT_OUT)])
            row.opted_out, row.updated_at = opted_out, _now()

    def set_safe_to_text_asked(self, conversation_id: str) -> None:
        """Record that the texter was asked whether it is safe to text them."""
        self._update_contact(conversation_id, safe_to_text_asked=True)

    def set_safe_to_text(self, conversation_id: str, safe: bool) -> None:
        """Record the texter's answer to whether a duty worker may text this number later."""
        self._update_contact(conversation_id, safe_to_text=safe)

    def set_options(self, conversation_id: str, payloads: list[str]) -> None:
        """Remember the payloads of the numbered options last offered."""
        self._update_contact(conversation_id, options=json.dumps(payloads))

    def _update_contact(self, conversation_id: str, **values: object) -> None:
        self._update(ContactRow, conversation_id, values)

    def _update(self, model: type[Any], key: object, values: dict[str, object]) -> None:
        """Set ``values`` on the row of ``model`` with primary key ``key``, if it exists."""
        with Session(self.engine) as session, session.begin():
            row = session.get(model, key)
            if row is None:
                return
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = _now()

    def forget_contact(self, conversation_id: str) -> None:
        """Delete every SMS record of a conversation: contact, ids, messages and statuses."""
        sent = sa.select(OutboundRow.twilio_sid).where(
            OutboundRow.conversation_id == conversation_id, OutboundRow.twilio_sid.is_not(None)
        )
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.delete(StatusUpdateRow)
                .where(StatusUpdateRow.twilio_sid.in_(sent))
                .execution_options(synchronize_session=False)
            )
            for table in (ContactRow, InboundRow, OutboundRow):
                session.execute(sa.delete(table).where(table.conversation_id == conversation_id))

    def plan_replies(
        self, conversation_id: str, inbound_sid: str | None, parts: list[tuple[str, int]]
    ) -> list[int]:
        """Record every message of a reply before any is sent; return their ids, in order."""
        now = _now()
        with Session(self.engine) as session, session.begin():
            rows = [
                OutboundRow(
                    conversation_id=conversation_id,
                    inbound_sid=inbound_sid,
                    body=body,
                    segments=segments,
                    status=PLANNED,
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
                for body, segments in parts
            ]
            session.add_all(rows)
            session.flush()
            return [int(row.id) for row in rows]

    def replies_to(self, inbound_sid: str) -> list[Outbound]:
        """Return the messages planned in answer to an inbound text, in order."""
        with Session(self.engine) as session:
            query = (
                sa.select(OutboundRow)
                .where(OutboundRow.inbound_sid == inbound_sid)
                .order_by(OutboundRow.id)
            )
            return [_outbound(row) for row in session.execute(query).scalars()]

    def start_sending(self, outbound_id: int) -> bool:
        """Mark a planned message as being sent; return False if it was not planned (any more)."""
        with Session(self.engine) as session, session.begin():
            changed = session.execute(
                sa.update(OutboundRow)
                .where(OutboundRow.id == outbound_id, OutboundRow.status == PLANNED)
                .values(status=SENDING, updated_at=_now())
            )
            return bool(changed.rowcount)

    def update_outbound(self, outbound_id: int, **values: object) -> None:
        """Update a message's status, error code or attempts."""
        self._update(OutboundRow, outbound_id, values)

    def record_failed(
        self,
        outbound_id: int,
        conversation_id: str,
        code: int | None,
        attempts: int,
        opted_out: bool,
    ) -> None:
        """Record a failed send, and an opted-out number (21610) as opted out, in one commit."""
        with Session(self.engine) as session, session.begin():
            failed = session.get(OutboundRow, outbound_id)
            if failed is not None and failed.status not in UNSENT_STATUSES:
                add_figures(session, [_sms_figure(Measure.SMS_FAILED)])
            if failed is not None:
                failed.status, failed.error_code, failed.attempts = "failed", code, attempts
                failed.updated_at = _now()
            contact = session.get(ContactRow, conversation_id) if opted_out else None
            if contact is not None:
                contact.opted_out, contact.updated_at = True, _now()

    def record_sent(self, outbound_id: int, twilio_sid: str, status: str, attempts: int) -> None:
        """Record Twilio's id and first status, then apply any callbacks already received."""
        with Session(self.engine) as session, session.begin():
            row = session.get(OutboundRow, outbound_id)
            if row is None:
                return
            row.twilio_sid, row.attempts = twilio_sid, attempts
            row.status, row.error_code = _next_status((row.status, row.error_code), status, None)
            row.updated_at = _now()
        with Session(self.engine) as session, session.begin():
            _settle(session, twilio_sid)

    def update_status_by_sid(self, twilio_sid: str, status: str, error_code: int | None) -> bool:
        """Keep a status callback and apply it; return whether the message is known yet."""
        with Session(self.engine) as session, session.begin():
            session.add(
                StatusUpdateRow(
                    twilio_sid=twilio_sid,
                    status=status,
                    error_code=error_code,
                    received_at=_now(),
                )
            )
        with Session(self.engine) as session, session.begin():
            return _settle(session, twilio_sid)

    def outbound_for(self, conversation_id: str) -> list[Outbound]:
        """Return the messages sent (or tried) to a conversation, oldest first."""
        with Session(self.engine) as session:
            query = (
                sa.select(OutboundRow)
                .where(OutboundRow.conversation_id == conversation_id)
                .order_by(OutboundRow.id)
            )
            return [_outbound(row) for row in session.execute(query).scalars()]

    def problems(self) -> list[tuple[Contact, list[Outbound]]]:
        """Return contacts that opted out or have messages that failed, with those messages."""
        with Session(self.engine) as session:
            failed = session.execute(
                sa.select(OutboundRow)
                .where(OutboundRow.status.in_(UNSENT_STATUSES))
                .order_by(OutboundRow.id)
            ).scalars()
            by_conversation: dict[str, list[Outbound]] = {}
            for row in failed:
                by_conversation.setdefault(row.conversation_id, []).append(_outbound(row))
            query = sa.select(ContactRow).where(
                sa.or_(
                    ContactRow.opted_out.is_(True),
                    ContactRow.conversation_id.in_(list(by_conversation)),
                )
            )
            return [
                (_contact(row), by_conversation.get(row.conversation_id, []))
                for row in session.execute(query.order_by(ContactRow.updated_at)).scalars()
            ]
