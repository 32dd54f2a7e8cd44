"""A running assistant (Rasa server + action server) on free loopback ports."""

from __future__ import annotations

import http.server
import json
import statistics
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.console.accounts import AccountStore
from bot.console.audit import AuditLog
from bot.fake_twilio import (
    FakeTwilio,
    channel_settings,
    start_fake_twilio,
)
from bot.runner import RunSettings, environment, running_assistant, send_message
from bot.storage.escalations import EscalationStore
from tests.e2e.console_client import ConsoleClient


@dataclass
class Conversation:
    """One person talking to the assistant over the REST channel."""

    webhook: str
    sender: str = field(default_factory=lambda: uuid.uuid4().hex)

    def say(self, text: str) -> list[dict]:
        return send_message(self.webhook, self.sender, text, timeout=30)

    def reply_text(self, text: str) -> str:
        """Send ``text``; return the replies joined as the REST channel split them."""
        return "\n\n".join(m.get("text", "") for m in self.say(text))


def report_timings(path: Path, label: str, timings_ms: list[float], **context: int) -> dict:
    """Write median, p95 and slowest of ``timings_ms`` to ``path`` (a figure, not a check)."""
    ordered = sorted(timings_ms)
    figures = {
        "n": len(ordered),
        **context,
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(figures))
    print(label, figures)
    return figures


NEUTRAL_PAGE = b"<!doctype html><html lang=en><title>Weather</title><p>Sunny spells.</p></html>"


class NeutralSite(http.server.BaseHTTPRequestHandler):
    """Where quick exit goes in tests: a plain page on loopback (BBC Weather by default)."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def neutral_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NeutralSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/weather"
    server.shutdown()


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    state, server = start_fake_twilio()
    yield state
    server.shutdown()


SMS_KEY = Fernet.generate_key()


def sms_environment(settings: RunSettings, twilio: FakeTwilio, work_dir) -> dict[str, str]:
    """The environment that points the assistant's SMS channel at the fake Twilio."""
    return {
        **channel_settings(twilio, settings.sms_webhook),
        "BOT_SMS_KEY": SMS_KEY.decode(),
        "BOT_VAR_DIR": str(work_dir),
    }


# How long the console lets a duty worker leave a message unanswered in tests (default 180 s).
QUIET_SECONDS = 5


@pytest.fixture(scope="session")
def assistant(trained_model, tmp_path_factory, neutral_site, fake_twilio) -> Iterator[RunSettings]:
    work_dir = tmp_path_factory.mktemp("var")
    # every escalation queued at once (tests/e2e/test_withdrawal.py runs its own with the window)
    settings = replace(
        RunSettings.isolated(work_dir, trained_model, exit_url=neutral_site), withdrawal_window=0
    )
    console = {"BOT_CONSOLE_QUIET_SECONDS": str(QUIET_SECONDS)}
    with (
        environment({**sms_environment(settings, fake_twilio, work_dir), **console}),
        running_assistant(settings),
    ):
        yield settings


@pytest.fixture(scope="session")
def escalations(assistant) -> EscalationStore:
    """The escalation database the running assistant writes to."""
    return EscalationStore(assistant.database_url)


@pytest.fixture()
def conversation(assistant) -> Conversation:
    return Conversation(assistant.rest_webhook)


# the duty-worker console


@pytest.fixture(scope="session")
def accounts(assistant) -> AccountStore:
    return AccountStore(assistant.database_url)


@pytest.fixture(scope="session")
def audit(assistant) -> AuditLog:
    return AuditLog(assistant.database_url)


@pytest.fixture(scope="session")
def console_url(assistant) -> str:
    return f"{assistant.rasa_url}/console"


@pytest.fixture()
def worker(console_url, accounts) -> ConsoleClient:
    return ConsoleClient.new_user(console_url, accounts)


@pytest.fixture()
def supervisor(console_url, accounts) -> ConsoleClient:
    return ConsoleClient.new_user(console_url, accounts, role="supervisor")
