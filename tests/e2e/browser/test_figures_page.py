"""The Figures page in Chromium: a supervisor reads it at phone and desktop widths (axe clean),
prints the report, and a duty worker is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from bot.console.accounts import AccountStore
from bot.paths import PROJECT_ROOT
from tests.e2e.browser.test_console_story import SCREENSHOTS, ConsolePage
from tests.e2e.conftest import Conversation
from tests.e2e.console_client import NAMES

pytestmark = pytest.mark.slow


def screenshot(page, name: str) -> None:
    """Refresh the README's image of the page's first screen (BOT_CONSOLE_SCREENSHOTS=1)."""
    if SCREENSHOTS:
        page.screenshot(path=str(PROJECT_ROOT / "docs" / name))


def signed_in(browser: Browser, assistant, role: str, width: int) -> ConsolePage:
    # CSP is bypassed only so the test can inject axe; the page itself loads no inline code
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20000)
    name = next(NAMES) + "_figures"
    page = ConsolePage(context.new_page(), f"{assistant.rasa_url}/console")
    page.sign_in_for_the_first_time(name, AccountStore(assistant.database_url).add(name, role))
    return page


def test_a_supervisor_reads_the_figures_at_any_width_and_prints_the_report(browser, assistant):
    for _ in range(6):
        Conversation(assistant.rest_webhook).reply_text("what is cse")
    for width in (1280, 320):
        console = signed_in(browser, assistant, "supervisor", width)
        page = console.page
        page.get_by_role("link", name="Figures").click()
        page.wait_for_url(re.compile(r"/console/figures$"))
        expect(page.get_by_role("heading", name="Figures", exact=True)).to_be_visible()
        expect(page.locator("table.figures").first).to_be_visible()
        expect(page.locator("svg.chart").first).to_be_visible()
        page.get_by_role("link", name="Last 7 days").click()
        page.wait_for_url(re.compile(r"from=.*&to="))
        assert console.axe_violations() == []
        if width == 1280:
            screenshot(page, "console-figures.png")
            page.get_by_role("link", name="Printable report").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("figures for scrutiny")
            page.emulate_media(media="print")
            screenshot(page, "figures-report.png")
            assert console.axe_violations() == []
        page.context.close()


def test_a_duty_worker_cannot_open_the_figures(browser, assistant):
    console = signed_in(browser, assistant, "duty_worker", 1280)
    expect(console.page.get_by_role("link", name="Figures")).to_be_hidden()
    reply = console.page.goto(f"{console.base}/figures")
    assert reply is not None and reply.status == 403
    expect(console.page.get_by_role("heading", level=1)).to_contain_text("Not available")
    console.page.context.close()
