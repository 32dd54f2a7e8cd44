"""The whole handoff story in Chromium, as a new duty worker would live it: a young person
discloses (in the web chat, or by SMS through the fake Twilio server), the escalation appears in
the console, a worker signs in for the first time, claims it, replies, reads the answer, closes it
with an outcome, and the bot takes the conversation back."""

from __future__ import annotations

import os
import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.console.accounts import AccountStore
from bot.paths import PROJECT_ROOT
from tests.e2e.browser.conftest import AXE, REFERENCE, ChatPage
from tests.e2e.conftest import Conversation, report_timings
from tests.e2e.console_client import NAMES, NEW_PASSWORD
from tests.e2e.texter import NUMBERS, Texter, wait_until

pytestmark = pytest.mark.slow
APPEARS_WITHIN_MS = 2000
DISCLOSURE = "my boyfriend is 25 and he makes me have sex with his mates"
PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> i am scared'
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = os.environ.get("BOT_CONSOLE_SCREENSHOTS") == "1"  # refresh the README's images


class ConsolePage:
    """The console in a desktop browser, used through its pages as a worker would."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base

    def sign_in_for_the_first_time(self, name: str, one_time_password: str) -> None:
        page = self.page
        page.goto(f"{self.base}/login")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(one_time_password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/console/password$"))
        page.get_by_label("Current password").fill(one_time_password)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save password").click()
        page.wait_for_url(re.compile(r"/console/queue$"))
        expect(page.locator("#stream-state")).to_contain_text("Live")

    def row(self, reference: str):
        return self.page.locator("#queue-rows tr", has_text=reference)

    def open_conversation(self, reference: str) -> None:
        self.row(reference).get_by_role("link", name=reference).click()
        self.page.wait_for_url(re.compile(f"/console/conversations/{reference}$"))

    def transcript(self):
        return self.page.locator("#transcript")

    def claim(self) -> None:
        self.page.get_by_role("button", name="Claim and take over").click()
        expect(self.page.locator("#action-message")).to_contain_text("You have taken over")

    def reply(self, text: str) -> None:
        self.page.get_by_label("Reply (sent to the person through their channel)").fill(text)
        self.page.get_by_role("button", name="Send reply").click()
        expect(self.transcript().locator("li.worker").last).to_contain_text(text)

    def close_with(self, outcome_label: str) -> None:
        self.page.get_by_label("Outcome").select_option(label=outcome_label)
        self.page.get_by_role("button", name="Close and hand back to the bot").click()
        expect(self.page.locator("#action-message")).to_contain_text("Closed")

    def screenshot(self, name: str) -> None:
        if SCREENSHOTS:
            self.page.screenshot(path=str(PROJECT_ROOT / "docs" / name), full_page=True)

    def axe_violations(self) -> list:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


@pytest.fixture(scope="module")
def accounts(assistant) -> AccountStore:
    return AccountStore(assistant.database_url)


@pytest.fixture()
def console(browser: Browser, assistant, accounts) -> ConsolePage:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20000)
    name = next(NAMES) + "_browser"
    page = ConsolePage(context.new_page(), f"{assistant.rasa_url}/console")
    page.sign_in_for_the_first_time(name, accounts.add(name, "duty_worker"))
    yield page
    page.page.get_by_role("button", name="Sign out").click()  # no longer available either
    page.page.wait_for_url(re.compile(r"/console/login$"))
    context.close()


def appears_in_queue(console: ConsolePage, reference: str, since: float) -> float:
    """Wait (at most 2 s) for ``reference`` in the live queue; return the milliseconds it took."""
    expect(console.row(reference)).to_be_visible(timeout=APPEARS_WITHIN_MS)
    return (time.monotonic() - since) * 1000


def test_web_chat_disclosure_to_claim_reply_answer_close_and_the_bot_resumes(
    console: ConsolePage, chat: ChatPage, catalogue, assistant
):
    page_text = catalogue.page_text
    console.page.get_by_role("button", name="Available").click()
    expect(console.page.get_by_role("button", name="Available")).to_have_attribute(
        "aria-pressed", "true"
    )

    chat.send(DISCLOSURE)
    told = time.monotonic()
    reference = REFERENCE.search(" ".join(chat.bot_messages())).group(0)
    assert catalogue.text("utter_duty_available", "en", None, "web") in " ".join(
        chat.bot_messages()
    )
    waited_ms = appears_in_queue(console, reference, told)
    report_timings(PROJECT_ROOT / "build" / "console-queue-webchat.json", "queue", [waited_ms])
    expect(console.row(reference)).to_contain_text("Connected")

    console.open_conversation(reference)
    expect(console.transcript()).to_contain_text(DISCLOSURE)
    console.claim()
    expect(chat.page.locator("#log .system").last).to_have_text(page_text("worker_joined"))

    console.reply("Hello, I am Sam from the council. Are you safe right now?")
    worker_line = chat.page.locator(".from-worker").last
    expect(worker_line).to_contain_text("Are you safe right now?")

    bot_lines = chat.page.locator(".from-bot").count()
    chat.page.fill("#message", PAYLOAD)
    chat.page.press("#message", "Enter")
    person = console.transcript().locator("li.person").last
    expect(person).to_contain_text(PAYLOAD)  # shown as the words typed, never as markup
    assert console.page.locator("#transcript img, #transcript script").count() == 0
    assert console.page.evaluate("window.pwned") is None
    time.sleep(1)
    assert chat.page.locator(".from-bot").count() == bot_lines  # the bot never talks over
    console.screenshot("console-conversation.png")
    assert console.axe_violations() == []

    console.close_with("Signposted")
    expect(chat.page.locator("#log .system").last).to_have_text(page_text("worker_left"))
    answer = chat.send("what is cse")
    assert "Child sexual exploitation" in answer

    console.page.goto(f"{console.base}/queue")
    expect(console.page.locator("#stream-state")).to_contain_text("Live")
    expect(console.row(reference)).to_have_count(0)


def test_sms_disclosure_to_claim_reply_answer_close_and_the_bot_resumes(
    console: ConsolePage, assistant, fake_twilio, catalogue
):
    def sms(item_id: str) -> str:
        return " ".join(catalogue.text(item_id, "en", None, "sms").split())

    def texts() -> str:
        return " ".join(" ".join(texter.replies()).split())

    texter = Texter(assistant.sms_webhook, fake_twilio, next(NUMBERS))
    texter.text(DISCLOSURE)
    reference = wait_until(lambda: (REFERENCE.search(texts()) or [None])[0])
    told = time.monotonic()
    assert reference, "no reference was texted"
    waited_ms = appears_in_queue(console, reference, told)
    report_timings(PROJECT_ROOT / "build" / "console-queue-sms.json", "queue", [waited_ms])
    row = console.row(reference)
    expect(row).to_contain_text("SMS")
    expect(row).to_contain_text(f"•••• ••• {texter.number[-3:]}")
    expect(row).not_to_contain_text(texter.number[3:])  # never the number itself
    assert wait_until(lambda: sms("utter_sms_safe_to_text_question")[:40] in texts())
    texter.text("1")  # yes, it is safe to text
    expect(row.locator(".badge", has_text=re.compile(r"^Safe to text$"))).to_be_visible()
    assert console.axe_violations() == []

    console.open_conversation(reference)
    console.claim()
    assert wait_until(lambda: sms("handoff_worker_joined") in texts())
    console.reply("Hello, I am a duty worker. Are you somewhere safe?")
    assert wait_until(lambda: "Are you somewhere safe?" in texts())

    before = len(texter.replies())
    texter.text("yes im at my nans <b>now</b>")
    expect(console.transcript().locator("li.person").last).to_contain_text(
        "yes im at my nans <b>now</b>"
    )
    assert len(texter.replies()) == before  # the bot did not answer over the worker

    console.close_with("Referred to MASH")
    assert wait_until(lambda: sms("handoff_worker_left") in texts())
    answer = texter.text_and_wait("what is cse")
    assert "(child sexual exploitation)" in " ".join(answer), answer


def test_a_priority_one_escalation_alerts_the_queue_and_goes_first(console: ConsolePage, assistant):
    alert = console.page.locator("#alert")
    earlier = REFERENCE.search(Conversation(assistant.rest_webhook).reply_text(DISCLOSURE))
    expect(console.row(earlier.group(0))).to_contain_text("P2")
    time.sleep(1)
    assert earlier.group(0) not in alert.inner_text()  # a priority 2 escalation does not alert
    reply = Conversation(assistant.rest_webhook).reply_text(
        "he is outside my house right now and says he will hurt me"
    )
    reference = REFERENCE.search(reply).group(0)
    expect(alert).to_be_visible(timeout=APPEARS_WITHIN_MS)
    expect(alert).to_contain_text(reference)
    expect(alert).to_have_attribute("data-sounded", re.compile("true|false"))
    assert console.page.title().startswith("(!)")
    first = console.page.locator("#queue-rows tr").first
    expect(first).to_contain_text(reference)  # most urgent first
    expect(first).to_contain_text("P1")
    console.screenshot("console-queue.png")
