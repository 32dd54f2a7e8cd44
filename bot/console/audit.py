"""The console's audit log: who did what, when, to which escalation; append-only, chained.

Each entry stores the hash of the entry before it and its own keyed hash (HMAC-SHA256) over its
fields and that previous hash. The key is kept outside the database (``BOT_AUDIT_KEY``, else
``var/audit.key``), so someone who can rewrite the database cannot recompute the chain. After
each entry its id and hash are appended to an anchor file the database cannot touch
(``BOT_AUDIT_ANCHOR``; by default beside the SQLite file, else ``var/audit.anchor``), so
deleting the newest entries, which leaves a shorter chain intact, is found too. Changing,
removing or reordering any entry is reported by :meth:`AuditLog.verify` (``bot audit verify``).
A unique index on ``previous_hash`` means two writers can never both append after the same
entry: the loser retries on the new end of the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.keys import load_or_create_key
from bot.paths import var_dir
from bot.storage.database import Base, as_utc, create_engine
from bot.storage.migrations import migrate

GENESIS_HASH = "0" * 64
KEY_ENV_VAR, KEY_FILE_NAME = "BOT_AUDIT_KEY", "audit.key"
ANCHOR_ENV_VAR = "BOT_AUDIT_ANCHOR"
APPEND_ATTEMPTS = 5
ACTIONS = (
    "login",
    "login_failed",
    "login_throttled",
    "password_failed",
    "view_audit",
    "view_figures",
    "figures_report",
    "view_caseload",
    "view_review",
    "content_review",
    "service_verification",
    "logout",
    "password_changed",
    "availability",
    "view_transcript",
    "view_identifier",
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


class AuditRow(Base):
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
    key: bytes,
    previous_hash: str,
    at: datetime,
    actor: str,
    action: str,
    reference: str | None,
    detail: str,
) -> str:
    """Return the keyed hash that chains an entry to the one before it."""
    fields = [previous_hash, at.isoformat(), actor, action, reference or "", detail]
    message = json.dumps(fields, ensure_ascii=False).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def default_anchor(engine: sa.engine.Engine) -> Path:
    """Return where the chain's anchor is kept: configured, beside a SQLite file, or in var/."""
    configured = os.environ.get(ANCHOR_ENV_VAR, "")
    if configured:
        return Path(configured)
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).with_suffix(".audit-anchor")
    return var_dir() / "audit.anchor"


class AuditLog:
    """Append to and verify the audit log."""

    def __init__(
        self, url: str | None = None, key: bytes | None = None, anchor: Path | None = None
    ) -> None:
        """Connect to ``url`` (``BOT_DATABASE_URL`` by default) and apply migrations."""
        self.engine = create_engine(url)
        migrate(self.engine)
        self._key = key or load_or_create_key(KEY_ENV_VAR, KEY_FILE_NAME)
        self.anchor = anchor or default_anchor(self.engine)

    def _hash(self, previous: str, row: AuditRow) -> str:
        at = as_utc(row.at)
        return entry_hash(self._key, previous, at, row.actor, row.action, row.reference, row.detail)

    def _write_anchor(self, entry_id: int, digest: str) -> None:
        """Append the new head of the chain to the anchor (one short line, appended atomically)."""
        self.anchor.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.anchor, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, f"{entry_id} {digest}\n".encode("ascii"))
        finally:
            os.close(descriptor)

    def _anchored_head(self) -> tuple[int, str] | None:
        """Return the newest entry the anchor recorded, or None if it recorded none."""
        if not self.anchor.exists():
            return None
        heads = []
        for line in self.anchor.read_text(encoding="ascii", errors="replace").splitlines():
            entry_id, _, digest = line.partition(" ")
            if entry_id.isdigit() and digest:
                heads.append((int(entry_id), digest))
        return max(heads) if heads else None

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
                    )
                    row.entry_hash = self._hash(previous, row)
                    session.add(row)
                    session.flush()
                    entry_id, digest = int(row.id), str(row.entry_hash)
            except IntegrityError:
                continue  # another entry took this place in the chain: append after it
            self._write_anchor(entry_id, digest)
            return entry_id
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
        """Return every break in the chain or against its anchor (empty when intact)."""
        problems = []
        previous = GENESIS_HASH
        hashes: dict[int, str] = {}
        with Session(self.engine) as session:
            for row in session.execute(sa.select(AuditRow).order_by(AuditRow.id)).scalars():
                if row.previous_hash != previous:
                    problems.append(f"entry {row.id}: does not follow the entry before it")
                if row.entry_hash != self._hash(row.previous_hash, row):
                    problems.append(f"entry {row.id}: its contents were changed")
                previous = hashes[int(row.id)] = row.entry_hash
        head = self._anchored_head()
        if head is not None and hashes.get(head[0]) != head[1]:
            problems.append(
                f"entry {head[0]}, the newest the anchor outside the database recorded, "
                "is missing or different: entries were removed or rewritten"
            )
        return problems
