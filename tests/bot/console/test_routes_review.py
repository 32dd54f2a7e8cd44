"""Review in the console, through Sanic's test client on a copy of content: the same records as
the command line, a changed item, concurrent approvals, services, and who may review."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import date

import pytest
import yaml

from bot.content.catalogue import load_catalogue
from bot.content.review_records import read_records
from bot.content.reviews import (
    APPROVED,
    ReviewState,
    changes_since_review,
    production_problems,
    record_reviews,
    review_states,
)
from bot.services import uk_now
from tests.bot.console.harness import PASSWORD, Browser, account


def reviewer(app, console, role: str = "reviewer") -> Browser:
    browser = Browser(app)
    landed = browser.sign_in(account(console, f"jo-{role}", role), PASSWORD)
    assert landed.headers["location"] == (
        "/console/review" if role == "reviewer" else "/console/queue"
    )
    return browser


def form_csrf(browser: Browser, path: str) -> str:
    page = browser.request("get", path)
    assert page.status == 200, page.text
    return re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)


def decide(
    browser: Browser, key: str, decision: str, comment: str = "", role: str = "Safeguarding lead"
):
    path = f"/review/items/{key}"
    data = {
        "csrf": form_csrf(browser, path),
        "role": role,
        "decision": decision,
        "comment": comment,
    }
    return browser.request("post", path, data=data)


def test_an_approval_in_the_console_writes_what_the_command_line_writes(
    app,
    console,
    content_copy,
    tmp_path,
):
    browser = reviewer(app, console)
    approved = decide(browser, "utter_greet", APPROVED)
    assert approved.status == 302
    shown = browser.request("get", "/review/items/utter_greet")
    assert shown.status == 200 and "Last review: jo-reviewer (Safeguarding lead)" in shown.text
    in_console = read_records(content_copy)["reviews"]["utter_greet"]
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["cp", "-r", str(content_copy), str(other)], check=True)
    copy = other / "content"
    (copy / "reviews.yml").unlink()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "content",
            "review",
            "utter_greet",
            "--reviewer",
            "jo-reviewer, Safeguarding lead",
        ],
        env={"BOT_CONTENT_DIR": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    on_the_command_line = read_records(copy)["reviews"]["utter_greet"]
    assert on_the_command_line == {**in_console, "date": on_the_command_line["date"]}
    assert in_console["date"] == uk_now().date() and in_console["decision"] == APPROVED
    catalogue = load_catalogue(content_copy)
    problems = production_problems(catalogue, catalogue.profile())
    assert not any(problem.startswith("utter_greet:") for problem in problems)
    audit = [(e.actor, e.action, e.detail) for e in console.audit.entries()]
    assert ("jo-reviewer", "content_review", "utter_greet: approved") in audit


def test_changes_are_requested_with_a_comment_and_block_production(app, console, content_copy):
    browser = reviewer(app, console)
    refused = decide(browser, "utter_grooming", "changes_requested")
    assert refused.status == 400 and "say what should change" in refused.text
    asked = decide(browser, "utter_grooming", "changes_requested", "Say who to tell first.")
    assert asked.status == 302
    catalogue = load_catalogue(content_copy)
    assert review_states(catalogue)["utter_grooming"] is ReviewState.CHANGES_REQUESTED
    assert "utter_grooming: changes requested" in production_problems(
        catalogue, catalogue.profile()
    )
    page = browser.request("get", "/review/items/utter_grooming").text
    assert "Say who to tell first." in page and "changes requested" in page


def test_an_edited_item_is_changed_since_review_and_shows_what_changed(content_copy):
    catalogue = load_catalogue(content_copy)
    record_reviews(catalogue, ["utter_greet"], "Sam Patel, Safeguarding lead", date(2026, 11, 2))
    path = catalogue.items["utter_greet"].file
    data = yaml.safe_load(path.read_text())
    item = next(i for i in data["items"] if i["id"] == "utter_greet")
    old = item["variants"][0]["web"]
    item["variants"][0]["web"] = old + " New words."
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    edited = load_catalogue(content_copy)
    assert review_states(edited)["utter_greet"] is ReviewState.CHANGED
    changes = changes_since_review(edited, "utter_greet")
    assert any(line.startswith("+") and "New words." in line for line in changes)
    assert any(line.startswith("-") and "New words." not in line for line in changes)


def test_reviews_made_at_the_same_time_never_lose_each_other(content_copy):
    catalogue = load_catalogue(content_copy)  # every reviewer starts from the same old copy
    keys = sorted(catalogue.items)[:24]
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def review(mine: list[str]) -> None:
        start.wait()
        try:
            for key in mine:
                record_reviews(catalogue, [key], "Sam Patel, Safeguarding lead", date(2026, 12, 2))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=review, args=(keys[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(keys) <= set(read_records(content_copy)["reviews"])


def test_a_service_is_verified_or_flagged_and_a_sample_cannot_be_verified(
    app, console, content_copy
):
    browser = reviewer(app, console)

    def check(service: str, decision: str, comment: str = ""):
        data = {
            "csrf": form_csrf(browser, "/review/services"),
            "service": service,
            "role": "Service manager",
            "decision": decision,
            "comment": comment,
        }
        return browser.request("post", "/review/services", data=data)

    assert check("childline", "verified").status == 302
    assert check("wiltshire-mash", "verified").status == 400  # a sample
    assert check("nspcc-helpline", "flagged", "The weekend hours changed.").status == 302
    catalogue = load_catalogue(content_copy)
    problems = " ".join(production_problems(catalogue, catalogue.profile()))
    assert "service:childline: unverified" not in problems  # its wording: still to review
    assert "service:nspcc-helpline: unverified (flagged)" in problems
    assert "service:wiltshire-mash: unverified (sample)" in problems
    page = browser.request("get", "/review/services").text
    assert "The weekend hours changed." in page


@pytest.mark.parametrize("role", ["duty_worker"])
def test_a_duty_worker_cannot_review(app, console, content_copy, role):
    browser = Browser(app)
    browser.sign_in(account(console, "dw", role), PASSWORD)
    for path in ("/review", "/review/items/utter_greet", "/review/services", "/review/report"):
        assert browser.request("get", path).status == 403


def test_a_reviewer_cannot_open_the_queue_or_conversations(app, console, content_copy):
    browser = reviewer(app, console)
    for path in ("/queue", "/caseload", "/figures", "/audit"):
        assert browser.request("get", path).status == 403
    assert browser.request("get", "/api/queue").status == 403


def test_each_language_is_signed_off_on_its_own(app, console, content_copy):
    browser = reviewer(app, console)
    assert decide(browser, "utter_greet", APPROVED).status == 302
    catalogue = load_catalogue(content_copy)
    problems = production_problems(catalogue, catalogue.profile())
    assert "utter_greet@cy: unreviewed" in problems
    welsh = browser.request("get", "/review/items/utter_greet@cy").text
    assert "Welsh, for any" in welsh and "English, for any" not in welsh
    assert decide(browser, "utter_greet@cy", APPROVED, role="Adolygydd Cymraeg").status == 302
    catalogue = load_catalogue(content_copy)
    problems = production_problems(catalogue, catalogue.profile())
    assert not any(p.split(":")[0] in ("utter_greet", "utter_greet@cy") for p in problems)
    assert catalogue.reviews["utter_greet@cy"]["role"] == "Adolygydd Cymraeg"
    assert all(line.startswith("cy ") for line in catalogue.reviews["utter_greet@cy"]["wording"])
    listed = browser.request("get", "/review?language=cy&state=reviewed").text
    assert "utter_greet@cy" in listed and ">utter_greet<" not in listed
