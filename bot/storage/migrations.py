"""Versioned schema migrations for the assistant's database, applied in order, each once.

Each migration has its own frozen table definitions, so a later change to the models never
changes what an earlier migration did. ``migrate`` is safe to run on every start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.storage.database import schema_lock

MIGRATIONS_TABLE = sa.Table(
    "schema_migrations",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def _0001_escalations(connection: sa.engine.Connection) -> None:
    metadata = sa.MetaData()
    escalations = sa.Table(
        "escalations",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(9), nullable=False, unique=True),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("trigger_text", sa.Text, nullable=False),
        sa.Column("trigger_message_id", sa.String(200), nullable=True, unique=True),
    )
    sa.Index(
        "one_active_escalation_per_conversation",
        escalations.c.conversation_id,
        unique=True,
        sqlite_where=escalations.c.status != "closed",
        postgresql_where=escalations.c.status != "closed",
    )
    sa.Table(
        "escalation_links",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("escalation_id", sa.Integer, sa.ForeignKey("escalations.id"), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("escalation_id", "conversation_id"),
    )
    metadata.create_all(connection)


def _0002_conversation_exits(connection: sa.engine.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "conversation_exits",
        metadata,
        sa.Column("conversation_id", sa.String(200), primary_key=True),
        sa.Column("exited_at", sa.DateTime(timezone=True), nullable=False),
    )
    metadata.create_all(connection)


def _0003_sms(connection: sa.engine.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "sms_inbound",
        metadata,
        sa.Column("message_sid", sa.String(64), primary_key=True),
        sa.Column("conversation_id", sa.String(200), nullable=False, index=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        # the text and sender, encrypted, only until the message has been processed
        sa.Column("pending_encrypted", sa.Text, nullable=True),
    )
    sa.Table(
        "sms_contacts",
        metadata,
        sa.Column("conversation_id", sa.String(200), primary_key=True),
        sa.Column("address_encrypted", sa.Text, nullable=False),
        sa.Column("opted_out", sa.Boolean, nullable=False),
        sa.Column("safe_to_text", sa.Boolean, nullable=True),
        sa.Column("safe_to_text_asked", sa.Boolean, nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "sms_outbound",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(200), nullable=False, index=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("segments", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("twilio_sid", sa.String(64), nullable=True, unique=True),
        sa.Column("error_code", sa.Integer, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "sms_status_updates",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("twilio_sid", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error_code", sa.Integer, nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    metadata.create_all(connection)


def _0004_console_accounts_and_audit(connection: sa.engine.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "console_users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "audit_entries",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(9), nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
        # each entry names the hash of the one before; only one entry may follow any hash
        sa.Column("previous_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    metadata.create_all(connection)


def _0005_escalation_claims(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text("ALTER TABLE escalations ADD COLUMN claimed_by VARCHAR(100)"))


def _0006_console_sessions_and_handoff(connection: sa.engine.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "console_sessions",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        # only a hash of the cookie's token is kept, so a copy of the database opens no session
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_name", sa.String(100), nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    sa.Table(
        "login_failures",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        # keyed hashes: the console never stores a client address
        sa.Column("account_key", sa.String(64), nullable=False, index=True),
        sa.Column("address_key", sa.String(64), nullable=False, index=True),
        sa.Column("known_device", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    sa.Table(
        "escalation_notes",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(9), nullable=False, index=True),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    metadata.create_all(connection)
    connection.execute(
        sa.text("ALTER TABLE console_users ADD COLUMN available BOOLEAN NOT NULL DEFAULT FALSE")
    )
    for column in (
        "outcome VARCHAR(30)",
        "closed_by VARCHAR(100)",
        "closed_at TIMESTAMP WITH TIME ZONE",
    ):
        connection.execute(sa.text(f"ALTER TABLE escalations ADD COLUMN {column}"))


def _0007_escalation_evidence(connection: sa.engine.Connection) -> None:
    for column in (
        "subject VARCHAR(20) NOT NULL DEFAULT 'unknown'",
        "indicators TEXT NOT NULL DEFAULT '[]'",
        "evidence_message_ids TEXT NOT NULL DEFAULT '[]'",
    ):
        connection.execute(sa.text(f"ALTER TABLE escalations ADD COLUMN {column}"))


def _0008_refused_sign_ins(connection: sa.engine.Connection) -> None:
    connection.execute(
        sa.text("ALTER TABLE login_failures ADD COLUMN refused BOOLEAN NOT NULL DEFAULT FALSE")
    )


def _0009_seen_sms(connection: sa.engine.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "sms_seen",
        metadata,
        # a keyed hash of each inbound message id, kept after the message itself is erased
        sa.Column("message_key", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    metadata.create_all(connection)


def _0010_replies_of_a_text(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text("ALTER TABLE sms_outbound ADD COLUMN inbound_sid VARCHAR(64)"))
    connection.execute(
        sa.text("CREATE INDEX ix_sms_outbound_inbound_sid ON sms_outbound (inbound_sid)")
    )


def _0011_withdrawal_window(connection: sa.engine.Connection) -> None:
    connection.execute(
        sa.text("ALTER TABLE escalations ADD COLUMN withdrawable_until TIMESTAMP WITH TIME ZONE")
    )


def _0012_sms_leases(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text("ALTER TABLE sms_inbound ADD COLUMN taken_by VARCHAR(64)"))
    connection.execute(
        sa.text("ALTER TABLE sms_inbound ADD COLUMN taken_until TIMESTAMP WITH TIME ZONE")
    )


def _0013_quiet_reminders(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text("ALTER TABLE escalations ADD COLUMN reminded_for FLOAT"))


def _0014_sms_attempts(connection: sa.engine.Connection) -> None:
    connection.execute(
        sa.text("ALTER TABLE sms_inbound ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
    )


def _0015_sms_queue_index(connection: sa.engine.Connection) -> None:
    # the queue is read five times a second per worker: only unprocessed texts are indexed
    connection.execute(
        sa.text(
            "CREATE INDEX ix_sms_inbound_queue ON sms_inbound (conversation_id, received_at) "
            "WHERE pending_encrypted IS NOT NULL"
        )
    )


def _0016_figures(connection: sa.engine.Connection) -> None:
    connection.execute(
        sa.text("ALTER TABLE escalations ADD COLUMN first_claimed_at TIMESTAMP WITH TIME ZONE")
    )
    metadata = sa.MetaData()
    sa.Table(
        "figure_events",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False, index=True),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("item", sa.String(60), nullable=False),
        sa.Column("priority", sa.Integer, nullable=True),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("staffed", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("seconds", sa.Float, nullable=True),
        sa.Column("weight", sa.Integer, nullable=False),
    )
    metadata.create_all(connection)


MIGRATIONS: list[tuple[int, str, Callable[[sa.engine.Connection], None]]] = [
    (1, "escalations and links between conversations", _0001_escalations),
    (2, "web chat conversations left by quick exit", _0002_conversation_exits),
    (3, "SMS: inbound ids, contacts (encrypted), outbound messages, status updates", _0003_sms),
    (4, "console users and the hash-chained audit log", _0004_console_accounts_and_audit),
    (5, "who holds a claimed escalation", _0005_escalation_claims),
    (
        6,
        "console sessions, login failures, availability, notes, outcomes",
        _0006_console_sessions_and_handoff,
    ),
    (
        7,
        "who an escalation is about, its indicators and evidence messages",
        _0007_escalation_evidence,
    ),
    (8, "sign-in attempts refused while throttled, counted not audited", _0008_refused_sign_ins),
    (9, "inbound SMS ids remembered for good as keyed hashes", _0009_seen_sms),
    (10, "each reply text recorded with the text it answers", _0010_replies_of_a_text),
    (11, "an escalation raised by one message waits for its follow-up", _0011_withdrawal_window),
    (12, "a text being processed is taken by one server generation for a while", _0012_sms_leases),
    (13, "the message a person was last told their worker is quiet about", _0013_quiet_reminders),
    (14, "how many times a text was taken to be processed", _0014_sms_attempts),
    (15, "an index of the texts still to be processed", _0015_sms_queue_index),
    (16, "anonymous figure events; when an escalation was first claimed", _0016_figures),
]


def applied_versions(engine: sa.engine.Engine) -> set[int]:
    """Return the versions already applied."""
    with engine.begin() as connection:
        MIGRATIONS_TABLE.create(connection, checkfirst=True)
        return set(connection.execute(sa.select(MIGRATIONS_TABLE.c.version)).scalars())


_MIGRATED: set[str] = set()  # databases this process has brought up to date


def migrate(engine: sa.engine.Engine) -> list[int]:
    """Apply every pending migration, each in its own transaction; return those applied.

    Each store calls it; after the first call for a database the others return at once.
    """
    url = engine.url.render_as_string(hide_password=False)
    if url in _MIGRATED:
        return []
    applied = []
    with schema_lock(engine):  # another server process may be migrating the same database
        done = applied_versions(engine)
        for version, description, step in MIGRATIONS:
            if version in done:
                continue
            with engine.begin() as connection:
                step(connection)
                connection.execute(
                    MIGRATIONS_TABLE.insert().values(
                        version=version,
                        description=description,
                        applied_at=datetime.now(timezone.utc),
                    )
                )
            applied.append(version)
    _MIGRATED.add(url)
    return applied
