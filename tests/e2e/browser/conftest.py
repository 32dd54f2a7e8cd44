"""Debian's Chromium driven by Playwright against the running assistant's chat page.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by ``make test``),
with the flags that keep it off the network on a closed machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bot.paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
TIMEOUT_MS = 20000
# the status line says "Connecting." until the server confirms the session
SESSION_CONFIRMED = "() => document.getElementById('status').textContent === ''"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser per test module: Playwright's sync API holds the thread's event loop while
    it runs, so it must be closed before any asyncio test runs."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture()
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 375, "height": 740})
    made.set_default_timeout(TIMEOUT_MS)
    yield made
    made.close()


class ChatPage:
    """The chat page, used as a person would: typing, pressing keys, clicking buttons."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url

    def open(self) -> ChatPage:
        self.page.goto(self.url)
        self.page.wait_for_function(SESSION_CONFIRMED)
        return self

    @property
    def session(self) -> dict:
        return json.loads(self.page.evaluate("sessionStorage.getItem('chat')"))

    def bot_messages(self) -> list[str]:
        return self.page.locator(".from-bot, .from-worker").all_inner_texts()

    def send(self, text: str) -> str:
        """Type ``text``, press Enter, and return the last bot message that follows."""
        before = self.page.locator(".from-bot").count()
        self.page.fill("#message", text)
        self.page.press("#message", "Enter")
        return self.wait_for_reply(before)

    def wait_for_reply(self, before: int) -> str:
        self.page.wait_for_function(
            "n => document.querySelectorAll('.from-bot').length > n "
            "&& document.getElementById('status').textContent === ''",
            arg=before,
        )
        return self.bot_messages()[-1]


@pytest.fixture()
def chat(context: BrowserContext, assistant) -> ChatPage:
    return ChatPage(context.new_page(), f"{assistant.rasa_url}/webchat").open()
