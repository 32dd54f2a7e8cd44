"""Safeguarding review in Chromium, on a copy of content: a reviewer signs in for the first time,
filters what is unreviewed, reads an item as web chat and SMS with its sources, approves it,
asks for changes on another, verifies a service, and `bot content gate` agrees; a duty worker
cannot open the page; axe finds nothing at 320 and 1280 px."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest
from playwright.sync_api import Browser, expect

from bot.console.accounts import AccountStore
from bot.content.catalogue import load_catalogue
from bot.paths import PROJECT_ROOT
from bot.runner import RunSettings, environment, running_assistant
from tests.e2e.browser.test_console_story import SCREENSHOTS, ConsolePage
from tests.e2e.console_client import NAMES, NEW_PASSWORD

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reviewed(trained_model, tmp_path_factory) -> Iterator[tuple[RunSettings, object]]:
    """An assistant serving a copy of content/ that the reviews are written into."""
    work_dir = tmp_path_factory.mktemp("review")
    content = work_dir / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    settings = replace(RunSettings.isolated(work_dir, trained_model), withdrawal_window=0)
    with environment({"BOT_CONTENT_DIR": str(content)}), running_assistant(settings):
        yield settings, content


def signed_in(browser: Browser, settings: RunSettings, role: str, width: int) -> ConsolePage:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20000)
    name = next(NAMES) + "_review"
    page = ConsolePage(context.new_page(), f"{settings.rasa_url}/console")
    one_time = AccountStore(settings.database_url).add(name, role)
    page.page.goto(f"{page.base}/login")
    page.page.get_by_label("Name").fill(name)
    page.page.get_by_label("Password").fill(one_time)
    page.page.get_by_role("button", name="Sign in").click()
    page.page.get_by_label("Current password").fill(one_time)
    page.page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.page.get_by_role("button", name="Save password").click()
    return page


def gate(content) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "gate", "--profile", "wiltshire"],
        env={"BOT_CONTENT_DIR": str(content), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_reviewer_signs_off_items_and_a_service_in_the_browser(browser, reviewed, catalogue):
    settings, content = reviewed
    console = signed_in(browser, settings, "reviewer", 1280)
    page = console.page
    page.wait_for_url(re.compile(r"/console/review$"))
    expect(page.locator("#gate")).to_contain_text("Production cannot start yet")
    page.get_by_label("State").select_option("unreviewed")
    page.get_by_label("Topic").select_option("cse_basics")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.review-list tbody tr").first).to_contain_text("unreviewed")
    assert console.axe_violations() == []
    if SCREENSHOTS:
        page.screenshot(path=str(PROJECT_ROOT / "docs" / "console-review.png"))

    page.get_by_role("link", name="utter_what_is_cse", exact=True).click()
    expected = catalogue.item("utter_what_is_cse").variant_for("en", None)
    expect(page.locator(".bubble").first).to_contain_text(expected.web.split("\n")[0])
    expect(page.locator(".sms").first).to_contain_text(expected.sms.split("\n")[0][:40])
    expect(page.get_by_text("segment").first).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(page.get_by_text("What changed since it was reviewed")).to_have_count(0)
    assert console.axe_violations() == []
    if SCREENSHOTS:
        page.screenshot(path=str(PROJECT_ROOT / "docs" / "console-review-item.png"))
    page.get_by_label("Your role").fill("Safeguarding lead")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".message")).to_contain_text("Approved")
    expect(page.locator("#state")).to_have_text("reviewed")

    page.goto(f"{console.base}/review/items/utter_grooming")
    page.get_by_label("Your role").fill("Safeguarding lead")
    page.get_by_label("Comment").fill("Add who a child can tell first.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator("#state")).to_have_text("changes requested")

    page.goto(f"{console.base}/review/services")
    childline = page.locator("section.service", has_text="Childline")
    childline.get_by_label("Your role").fill("Service manager")
    childline.get_by_role("button", name="Mark verified").click()
    expect(page.locator(".message")).to_contain_text("Verified")
    expect(page.locator("section.service", has_text="Childline").first).to_contain_text("Verified")
    assert console.axe_violations() == []

    checked = gate(content)
    assert checked.returncode == 2
    assert "utter_what_is_cse:" not in checked.stdout
    assert "utter_grooming: changes requested" in checked.stdout
    assert "service:childline: unverified" not in checked.stdout
    assert "service:nspcc-helpline: unverified" in checked.stdout
    records = load_catalogue(content).reviews
    assert records["utter_what_is_cse"]["role"] == "Safeguarding lead"
    page.goto(f"{console.base}/review/report")
    expect(page.locator("table").first).to_contain_text("Add who a child can tell first.")
    page.context.close()


def test_the_review_pages_read_at_phone_width(browser, reviewed):
    settings, _ = reviewed
    console = signed_in(browser, settings, "reviewer", 320)
    console.page.wait_for_url(re.compile(r"/console/review$"))
    assert console.axe_violations() == []
    console.page.goto(f"{console.base}/review/items/utter_greet")
    assert console.axe_violations() == []
    console.page.goto(f"{console.base}/review/services")
    assert console.axe_violations() == []
    console.page.context.close()


def test_a_duty_worker_cannot_open_the_review_pages(browser, reviewed):
    settings, _ = reviewed
    console = signed_in(browser, settings, "duty_worker", 1280)
    console.page.wait_for_url(re.compile(r"/console/queue$"))
    expect(console.page.get_by_role("link", name="Review")).to_have_count(0)
    reply = console.page.goto(f"{console.base}/review")
    assert reply is not None and reply.status == 403
    console.page.context.close()
