"""The console's audit log: who did what, when, to which escalation; append-only, hash-chained.

Each entry stores the hash of the entry before it and its own hash over its fields and that
previous hash. Changing, removing or reordering any entry breaks the chain from that point,
which :meth:`AuditLog.verify` reports. A unique index on ``previous_hash`` means two writers can
never both append after the same entry: the loser retries on the new end of the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base

from bot.storage.database import as_utc, create_engine
from bot.storage.migrations import migrate

Base = declarative_base()
GENESIS_HASH = "0" * 64
APPEND_ATTEMPTS = 5
ACTIONS = (
    "login",
    "login_failed",
    "login_throttled",
    "password_failed",
    "view_audit",
    "logout",
    "password_changed",
    "availability",
    "view_transcript",
    "claim",
    "reply",
    "note",
    "transfer",
    "close",
    "reopen",
    "release",
    "export",
    "user_added",
    "user_disabled",
)


class AuditRow(Base):  # type: ignore[valid-type,misc]
    """The ``audit_entries`` table."""

    __tablename__ = "audit_entries"
    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    actor = sa.Column(sa.String(100), nullable=False)
    action = sa.Column(sa.String(40), nullable=False)
    reference = sa.Column(sa.String(9), nullable=True)
    detail = sa.Column(sa.Text, nullable=False)
    previous_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    entry_hash = sa.Column(sa.String(64), nullable=False)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: datetime
    actor: str
    action: str
    reference: str | None
    detail: str


def entry_hash(
    previous_hash: str, at: datetime, actor: str, action: str, reference: str | None, detail: str
) -> str:
    """Return the hash that chains an entry to the one before it."""
    fields = [previous_hash, at.isoformat(), actor, action, reference or "", detail]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


class AuditLog:
    """Append to and verify the audit log."""

    def __init__(self, url: str | None = None) -> None:
        """Connect to ``url`` (``BOT_DATABASE_URL`` by default) and apply migrations."""
        self.engine = create_engine(url)
        migrate(self.engine)

    def record(
        self, actor: str, action: str, reference: str | None = None, detail: str = ""
    ) -> int:
        """Append an entry at the end of the chain; return its id."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        for _ in range(APPEND_ATTEMPTS):
            at = datetime.now(timezone.utc)
            try:
                with Session(self.engine) as session, session.begin():
                    last = session.execute(
                        sa.select(AuditRow.entry_hash).order_by(AuditRow.id.desc()).limit(1)
                    ).scalar_one_or_none()
                    previous = last or GENESIS_HASH
                    row = AuditRow(
                        at=at,
                        actor=actor,
                        action=action,
                        reference=reference,
                        detail=detail,
                        previous_hash=previous,
                        entry_hash=entry_hash(previous, at, actor, action, reference, detail),
                    )
                    session.add(row)
                    session.flush()
                    return int(row.id)
            except IntegrityError:
                continue  # another entry took this place in the chain: append after it
        raise RuntimeError("could not append to the audit log")

    def entries(self, reference: str | None = None) -> list[AuditEntry]:
        """Return the entries, oldest first (only those about ``reference`` if given)."""
        query = sa.select(AuditRow).order_by(AuditRow.id)
        if reference:
            query = query.where(AuditRow.reference == reference)
        with Session(self.engine) as session:
            return [
                AuditEntry(r.id, as_utc(r.at), r.actor, r.action, r.reference, r.detail)
                for r in session.execute(query).scalars()
            ]

    def page(self, reference: str | None, number: int, size: int) -> tuple[list[AuditEntry], int]:
        """Return page ``number`` (from 1) of ``size`` entries, newest first, and the total."""
        query = sa.select(AuditRow)
        count = sa.select(sa.func.count(AuditRow.id))
        if reference:
            query = query.where(AuditRow.reference == reference)
            count = count.where(AuditRow.reference == reference)
        query = query.order_by(AuditRow.id.desc()).offset((number - 1) * size).limit(size)
        with Session(self.engine) as session:
            rows = session.execute(query).scalars()
            entries = [
                AuditEntry(r.id, as_utc(r.at), r.actor, r.action, r.reference, r.detail)
                for r in rows
            ]
            return entries, int(session.execute(count).scalar_one())

    def verify(self) -> list[str]:
        """Return every break in the chain (an empty list when the log is intact)."""
        problems = []
        previous = GENESIS_HASH
        with Session(self.engine) as session:
            for row in session.execute(sa.select(AuditRow).order_by(AuditRow.id)).scalars():
                if row.previous_hash != previous:
                    problems.append(f"entry {row.id}: does not follow the entry before it")
                expected = entry_hash(
                    row.previous_hash,
                    as_utc(row.at),
                    row.actor,
                    row.action,
                    row.reference,
                    row.detail,
                )
                if row.entry_hash != expected:
                    problems.append(f"entry {row.id}: its contents were changed")
                previous = row.entry_hash
        return problems
