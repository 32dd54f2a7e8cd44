"""The audit log: append-only, hash-chained, and any tampering is found."""

import hashlib
import json
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.console.accounts import AccountStore
from bot.console.audit import GENESIS_HASH, AuditLog
from bot.storage.database import as_utc


def filled(database_url) -> AuditLog:
    audit = AuditLog(database_url)
    audit.record("sam", "login")
    audit.record("sam", "view_transcript", "K7MQ-4XPB")
    audit.record("sam", "claim", "K7MQ-4XPB")
    audit.record("sam", "close", "K7MQ-4XPB", "signposted")
    return audit


def test_an_intact_log_verifies_and_is_read_by_escalation(database_url):
    audit = filled(database_url)
    assert audit.verify() == []
    assert [e.action for e in audit.entries("K7MQ-4XPB")] == ["view_transcript", "claim", "close"]
    with pytest.raises(ValueError):
        audit.record("sam", "made_up_action")


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_entries SET detail = 'no further action' WHERE id = 4",
        "UPDATE audit_entries SET actor = 'someone else' WHERE id = 2",
        "DELETE FROM audit_entries WHERE id = 2",
        "UPDATE audit_entries SET id = 99 WHERE id = 1",
    ],
)
def test_a_changed_removed_or_moved_entry_breaks_the_chain(database_url, tamper):
    audit = filled(database_url)
    with audit.engine.begin() as connection:
        connection.execute(sa.text(tamper))
    assert audit.verify() != []


def test_bot_audit_verify_reports_a_break(database_url, monkeypatch, capsys):
    audit = filled(database_url)
    monkeypatch.setenv("BOT_DATABASE_URL", database_url)
    assert main(["audit", "verify"]) == 0
    with audit.engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_entries SET detail = 'x' WHERE id = 3"))
    assert main(["audit", "verify"]) == 1
    assert "entry 3" in capsys.readouterr().out


def test_bot_users_add_prints_a_one_time_password_and_is_audited(database_url, monkeypatch, capsys):
    monkeypatch.setenv("BOT_DATABASE_URL", database_url)
    assert main(["users", "add", "Sam Duty", "--role", "duty_worker"]) == 0
    password = capsys.readouterr().out.strip().splitlines()[-1]
    assert AccountStore().authenticate("Sam Duty", password) is not None
    assert main(["users", "add", "Sam Duty", "--role", "admin"]) == 1
    assert [e.action for e in AuditLog().entries()] == ["user_added"]


def test_deleting_the_newest_entries_is_found(database_url):
    audit = filled(database_url)
    with audit.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_entries WHERE id >= 3"))
    assert audit.verify() != []


def test_an_entry_changed_with_its_hashes_recomputed_is_found(database_url):
    audit = filled(database_url)
    with audit.engine.begin() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT id, at, actor, action, reference, detail FROM audit_entries ORDER BY id"
            )
        ).all()
        previous = GENESIS_HASH
        for row_id, at, actor, action, reference, detail in rows:
            detail = "no further action" if row_id == 4 else detail
            # someone with the database but not the key recomputes the chain as SHA-256
            moment = as_utc(at if isinstance(at, datetime) else datetime.fromisoformat(at))
            fields = [previous, moment.astimezone(timezone.utc).isoformat(), actor, action]
            fields += [reference or "", detail]
            digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
            connection.execute(
                sa.text(
                    "UPDATE audit_entries SET detail = :detail, previous_hash = :previous,"
                    " entry_hash = :digest WHERE id = :id"
                ),
                {"detail": detail, "previous": previous, "digest": digest, "id": row_id},
            )
            previous = digest
    assert audit.verify() != []
