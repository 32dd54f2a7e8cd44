"""The console's routes through Sanic's test client, on real stores in a temporary database."""

from __future__ import annotations

import itertools
import re

import pytest
from cryptography.fernet import Fernet
from sanic import Sanic
from sanic_testing import TestManager

from bot.channels.phone_numbers import PhoneVault
from bot.console.accounts import AccountStore
from bot.console.app import console_blueprint
from bot.console.audit import AuditLog
from bot.console.service import ConsoleService
from bot.console.sessions import ConsoleSessions
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.sms import SmsStore

APPS = itertools.count()
PASSWORD = "a long enough pass phrase"


class Browser:
    """One browser's cookies against the test app."""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        _, reply = getattr(self.app.test_client, method)(
            f"/console{path}", cookies=self.cookies, **kwargs
        )
        for name, value in reply.cookies.items():
            self.cookies[name] = value
        return reply

    def sign_in(self, name: str, password: str):
        form = self.request("get", "/login")
        token = re.search(r'name="csrf" value="([^"]*)"', form.text).group(1)
        return self.request(
            "post", "/login", data={"name": name, "password": password, "csrf": token}
        )

    def csrf(self) -> str:
        page = self.request("get", "/queue")
        return re.search(r'name="csrf" content="([^"]*)"', page.text).group(1)


@pytest.fixture()
def console(database_url, monkeypatch) -> ConsoleService:
    monkeypatch.setenv("BOT_PUBLIC_URL", "http://127.0.0.1")
    url = database_url
    service = ConsoleService(
        escalations=EscalationStore(url),
        accounts=AccountStore(url),
        sessions=ConsoleSessions(url, key=b"k" * 32),
        audit=AuditLog(url),
        sms=SmsStore(url),
        exits=ExitStore(url),
        vault=PhoneVault(Fernet.generate_key()),
    )
    return service


@pytest.fixture()
def app(console) -> Sanic:
    app = Sanic(f"console_test_{next(APPS)}")
    TestManager(app)
    app.blueprint(console_blueprint(), url_prefix="/console")
    app.ctx.console = console
    return app


def account(console: ConsoleService, name: str, role: str = "duty_worker") -> str:
    console.accounts.change_password(name, console.accounts.add(name, role), PASSWORD)
    return name


def test_sign_in_needs_the_form_token_and_the_right_password(app, console):
    name = account(console, "sam")
    browser = Browser(app)
    assert browser.sign_in(name, "wrong").status == 401
    stranger = Browser(app)
    bare = stranger.request("post", "/login", data={"name": name, "password": PASSWORD})
    assert bare.status == 403 and "console_session" not in stranger.cookies
    signed_in = browser.sign_in(name, PASSWORD)
    assert signed_in.status == 302 and signed_in.headers["location"] == "/console/queue"
    assert browser.request("get", "/api/queue").json == []


def test_changes_need_the_sessions_csrf_token(app, console):
    browser = Browser(app)
    browser.sign_in(account(console, "sam"), PASSWORD)
    refused = browser.request("post", "/api/availability", json={"available": True})
    assert refused.status == 403
    accepted = browser.request(
        "post",
        "/api/availability",
        json={"available": True},
        headers={"X-CSRF-Token": browser.csrf()},
    )
    assert accepted.status == 200 and accepted.json == {"available": True}


def test_only_supervisors_read_the_audit_log(app, console):
    worker, supervisor = Browser(app), Browser(app)
    worker.sign_in(account(console, "sam"), PASSWORD)
    supervisor.sign_in(account(console, "alex", "supervisor"), PASSWORD)
    assert worker.request("get", "/audit").status == 403
    assert worker.request("get", "/audit/export").status == 403
    assert supervisor.request("get", "/audit").status == 200


def test_the_audit_log_is_paged_newest_first_and_its_views_are_audited(app, console):
    supervisor = Browser(app)
    supervisor.sign_in(account(console, "alex", "supervisor"), PASSWORD)
    for n in range(7):
        console.audit.record(f"someone-{n}", "login_failed")
    first = supervisor.request("get", "/audit?per_page=3")
    rows = re.findall(r"<tr><td>(\d+)</td>", first.text)
    assert len(rows) == 3 and rows == sorted(rows, key=int, reverse=True)
    assert "page=2" in first.text
    last = supervisor.request("get", "/audit?per_page=3&page=99")
    assert last.status == 200 and "Newer entries" in last.text
    assert supervisor.request("get", "/audit?per_page=abc&page=-1").status == 200
    views = [e for e in console.audit.entries() if e.action == "view_audit"]
    assert len(views) == 3 and views[0].actor == "alex"


def test_a_crafted_name_is_shown_as_typed_and_never_expanded(app, console):
    crafted = "{{rows}}{{body}}{{ 7*7 }}{% raw %}<script>x</script>"
    for _ in range(5):
        Browser(app).sign_in(crafted, "wrong")
    supervisor = Browser(app)
    supervisor.sign_in(account(console, "alex", "supervisor"), PASSWORD)
    page = supervisor.request("get", "/audit")
    assert len(page.body) < 50_000
    assert "{{rows}}{{body}}{{ 7*7 }}{% raw %}&lt;script&gt;" in page.text
    assert "<script>x" not in page.text


def test_cookies_are_secure_when_the_public_url_is_https(app, monkeypatch):
    assert "secure" not in str(Browser(app).request("get", "/login").headers).lower()
    monkeypatch.setenv("BOT_PUBLIC_URL", "https://console.council.example")
    reply = Browser(app).request("get", "/login")
    assert "Secure" in reply.headers["set-cookie"]
