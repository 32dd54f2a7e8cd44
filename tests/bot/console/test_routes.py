"""The console's routes through Sanic's test client, on real stores in a temporary database."""

from __future__ import annotations

import re

from tests.bot.console.harness import PASSWORD, Browser, account


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
