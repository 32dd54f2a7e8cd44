"""The console against a hostile outsider (issue 12's findings), over HTTP on the running stack."""

from __future__ import annotations

import html
import re

import pytest
import requests
import sqlalchemy as sa

from tests.e2e.console_client import NEW_PASSWORD, ConsoleClient, form_token

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def forget_sign_in_failures(assistant):
    """Every test here fails sign-ins from 127.0.0.1: leave the address unthrottled after it."""
    yield
    engine = sa.create_engine(assistant.database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM login_failures"))
    engine.dispose()


CRAFTED_NAME = "{{rows}}{{body}}{{{rows}}}{{body}}{{rows}}{% raw %}{{ 7*7 }}"


def test_a_crafted_sign_in_name_is_text_on_the_audit_page_and_cannot_grow_it(supervisor):
    stranger = ConsoleClient(supervisor.base, CRAFTED_NAME, "wrong")
    for _ in range(5):
        assert stranger.login().status_code in (401, 429)
    page = supervisor.get("/audit")
    assert page.status_code == 200
    assert len(page.content) < 500_000, len(page.content)
    name_cells = re.findall(r"<td>([^<]*)</td><td>login_failed</td>", page.text)
    assert html.escape(CRAFTED_NAME) in name_cells, name_cells[:3]
    assert "49" not in name_cells, name_cells[:3]


def test_throttled_sign_ins_are_summarised_not_audited_one_by_one(supervisor, audit):
    name = "throttle-target"
    stranger = ConsoleClient(supervisor.base, name, "wrong")
    before = len(audit.entries())
    for _ in range(15):
        stranger.login()
    throttled = [e for e in audit.entries()[before:] if e.actor == name and "throttled" in e.detail]
    assert len(throttled) == 1, throttled


def test_the_audit_page_is_paged(supervisor):
    for n in range(3):
        ConsoleClient(supervisor.base, f"paging-{n}", "wrong").login()
    first = supervisor.get("/audit?per_page=2")
    assert first.text.count("<tr>") == 3  # the heading and two entries
    assert "page=2" in first.text
    second = supervisor.get("/audit?per_page=2&page=2")
    assert second.status_code == 200 and second.text.count("<tr>") == 3
    assert second.text != first.text


def test_wrong_current_passwords_are_throttled_and_audited(worker, audit):
    statuses = []
    for _ in range(7):
        page = worker.http.get(f"{worker.base}/password")
        reply = worker.http.post(
            f"{worker.base}/password",
            data={
                "old": "not it",
                "new": "x" * 14,
                "confirm": "x" * 14,
                "csrf": form_token(page.text),
            },
            allow_redirects=False,
        )
        statuses.append(reply.status_code)
    assert statuses[:5] == [400] * 5 and statuses[-1] == 429
    failed = [
        e for e in audit.entries() if e.actor == worker.name and e.action == "password_failed"
    ]
    assert len(failed) >= 5


def test_changing_a_password_ends_the_accounts_other_sessions(worker):
    elsewhere = ConsoleClient(worker.base, worker.name, worker.password)
    assert elsewhere.login().status_code == 302
    assert elsewhere.get("/api/queue").status_code == 200
    page = worker.http.get(f"{worker.base}/password")
    changed = worker.http.post(
        f"{worker.base}/password",
        data={
            "old": NEW_PASSWORD,
            "new": "another long pass phrase",
            "confirm": "another long pass phrase",
            "csrf": form_token(page.text),
        },
        allow_redirects=False,
    )
    assert changed.status_code == 302
    assert elsewhere.get("/api/queue").status_code == 401  # the other browser is signed out
    assert worker.get("/api/queue").status_code == 200  # the one that changed it is not


def test_secure_cookies_follow_the_public_url_not_the_host_header(console_url):
    # the test stack's public URL is plain http on loopback: a Host header cannot change that
    public = requests.get(f"{console_url}/login", headers={"Host": "console.council.example"})
    assert "Secure" not in public.headers["Set-Cookie"]
    proxied = requests.get(f"{console_url}/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in proxied.headers["Set-Cookie"]
