"""The web chat page in a real browser, tried as a new user would."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlparse

import pytest

from bot.paths import PROJECT_ROOT
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from tests.e2e.browser.conftest import AXE, REFERENCE, SESSION_CONFIRMED, ChatPage
from tests.e2e.conftest import report_timings

pytestmark = pytest.mark.slow
LATENCY_REPORT = PROJECT_ROOT / "build" / "webchat-latency.json"
SCREENSHOT = PROJECT_ROOT / "build" / "webchat-phone.png"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def first_sentence(catalogue, item_id: str) -> str:
    return catalogue.text(item_id, "en", None, "web").split("\n")[0].split(". ")[0]


def test_ask_what_cse_is_use_a_quick_reply_and_read_the_answers(chat: ChatPage, catalogue):
    page = chat.page
    assert page.title() == next(t.text for t in catalogue.page_texts if t.id == "title")
    answer = chat.send("what is cse")
    assert first_sentence(catalogue, "utter_what_is_cse") in answer
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOT))
    # in development the draft notice comes first
    assert first_sentence(catalogue, "utter_draft_content_notice") in chat.bot_messages()[0]
    before = page.locator(".from-bot").count()
    page.get_by_role("button", name="Grooming").click()
    reply = chat.wait_for_reply(before)
    assert first_sentence(catalogue, "utter_grooming") in reply
    assert page.locator(".from-you").last.inner_text().endswith("Grooming")
    # numbers become links to call or text
    assert page.locator('a[href="tel:999"]').count() > 0
    assert page.locator(".from-bot").last.locator("li").count() >= 3  # "- " lines are a list


def test_a_disclosure_shows_a_reference_that_is_already_stored(chat: ChatPage, assistant):
    reply = chat.send("my uncle touches me and says its our secret")
    shown = REFERENCE.findall("\n".join(chat.bot_messages()))
    assert shown, reply
    stored = EscalationStore(assistant.database_url).all_for(chat.session["session_id"])
    assert [e.reference for e in stored] == [shown[0]]
    assert stored[0].channel == "webchat"
    # nothing about the person's connection is kept with the conversation
    with sqlite3.connect(assistant.tracker_db_path) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ?", (chat.session["session_id"],)
        ).fetchall()
    assert rows and not any("127.0.0.1" in data for (data,) in rows)


def leave_by(chat: ChatPage, how: str, neutral_site: str, assistant) -> None:
    page = chat.page
    chat.send("hello")
    conversation_id = chat.session["session_id"]
    if how == "button":
        page.get_by_role("button", name="Exit").click()
    else:
        page.locator("#message").focus()
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    assert page.title() == "Weather"
    page.go_back()
    assert "/webchat" not in page.url  # Back does not return to the chat
    # the chat page stored nothing that is left behind
    page.goto(f"{assistant.rasa_url}/webchat/favicon.svg")
    assert page.evaluate("sessionStorage.length") == 0
    assert page.context.cookies() == []
    exits = ExitStore(assistant.database_url)
    page.wait_for_timeout(200)
    assert exits.exited_at(conversation_id) is not None


def test_quick_exit_by_button(chat: ChatPage, neutral_site, assistant):
    leave_by(chat, "button", neutral_site, assistant)


def test_quick_exit_by_pressing_shift_three_times(chat: ChatPage, neutral_site, assistant):
    leave_by(chat, "shift", neutral_site, assistant)


def test_shift_tab_and_capital_letters_never_exit(chat: ChatPage):
    page = chat.page
    page.locator("#message").focus()
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    page.locator("#message").focus()
    page.keyboard.type("HELLO THERE")
    page.wait_for_timeout(300)
    assert "/webchat" in page.url


def test_keyboard_only(chat: ChatPage, catalogue):
    page = chat.page
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "message":
            break
    assert page.evaluate("document.activeElement.id") == "message"
    before = page.locator(".from-bot").count()
    page.keyboard.type("what is cse")
    page.keyboard.press("Enter")
    chat.wait_for_reply(before)
    assert page.evaluate("document.activeElement.id") == "message"
    # back from the message box to the last quick reply, and choose it with the keyboard
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate(
        "[document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused[0] == "quick-reply" and focused[1] != "none"  # focus is visible
    title = page.evaluate("document.activeElement.textContent")
    before = page.locator(".from-bot").count()
    page.keyboard.press("Enter")
    chat.wait_for_reply(before)
    assert page.locator(".from-you").last.inner_text().endswith(title)


@pytest.mark.parametrize("width", [320, 1280])
def test_axe_finds_no_violations_and_the_page_reflows(browser, assistant, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, bypass_csp=True, reduced_motion="reduce"
    )
    chat = ChatPage(context.new_page(), f"{assistant.rasa_url}/webchat").open()
    chat.send("what is cse")
    page = chat.page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_html_and_script_in_a_message_are_shown_as_inert_text(chat: ChatPage):
    page = chat.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    payload = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2;alert(1)">'
    chat.send(payload)
    mine = page.locator(".from-you").last
    assert payload in mine.inner_text()
    assert page.locator("#log img, #log script").count() == 0
    assert page.evaluate("window.pwned") is None
    assert dialogs == []
    # addresses become links only to hosts named in content; other schemes never do
    chat.send("see javascript:alert(1) or https://evil.example/x or https://www.childline.org.uk")
    hrefs = page.locator(".from-you").last.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs == ["https://www.childline.org.uk/"]


def test_no_request_leaves_the_page_origin(context, assistant):
    seen: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    chat = ChatPage(page, f"{assistant.rasa_url}/webchat").open()
    chat.send("where can i get help")
    chat.send("what is grooming")
    origin = urlparse(assistant.rasa_url)
    assert seen
    assert {(urlparse(u).hostname, urlparse(u).port) for u in seen} == {
        (origin.hostname, origin.port)
    }
    csp = page.request.get(f"{assistant.rasa_url}/webchat").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp


def test_a_second_browser_that_knows_the_session_id_cannot_read_or_post(browser, chat, assistant):
    owner = chat.session
    intruder_context = browser.new_context()
    claim = json.dumps({"session_id": owner["session_id"], "secret": "0" * 64})
    intruder_context.add_init_script(f"sessionStorage.setItem('chat', {json.dumps(claim)})")
    intruder = ChatPage(intruder_context.new_page(), f"{assistant.rasa_url}/webchat").open()
    assert intruder.session["session_id"] != owner["session_id"]
    intruder.send("hello")
    chat.send("what is grooming")
    intruder.page.wait_for_timeout(500)
    assert not any("rooming" in m for m in intruder.bot_messages())
    assert not any("hello" in m for m in chat.page.locator(".from-you").all_inner_texts())
    intruder_context.close()


def test_reloading_the_tab_resumes_the_same_conversation(chat: ChatPage):
    chat.send("hello")
    before = chat.session["session_id"]
    chat.page.reload()
    chat.page.wait_for_function(SESSION_CONFIRMED)
    chat.page.wait_for_timeout(300)
    assert chat.session["session_id"] == before


def test_time_from_sending_to_seeing_the_reply_is_measured(chat: ChatPage):
    """Report (not assert) the send-to-visible time, measured inside the browser."""
    page = chat.page
    chat.send("hello")
    page.evaluate(
        """() => {
          window.sentAt = 0; window.latencies = [];
          document.getElementById('composer').addEventListener(
            'submit', () => { window.sentAt = performance.now(); }, true);
          new MutationObserver(records => {
            for (const r of records) for (const n of r.addedNodes)
              if (window.sentAt && n.classList && n.classList.contains('from-bot')) {
                window.latencies.push(performance.now() - window.sentAt); window.sentAt = 0;
              }
          }).observe(document.getElementById('log'), {childList: true});
        }"""
    )
    questions = ["what is cse", "what is grooming", "warning signs", "where can i get help"]
    for question in questions * 5:
        chat.send(question)
    latencies = page.evaluate("window.latencies")
    assert len(latencies) == len(questions) * 5
    report_timings(LATENCY_REPORT, "web chat send-to-reply", latencies)


def test_a_message_typed_while_offline_is_marked_and_sent_when_back(chat: ChatPage, catalogue):
    page = chat.page
    disconnected = next(t.text for t in catalogue.page_texts if t.id == "disconnected")
    not_sent = next(t.text for t in catalogue.page_texts if t.id == "not_sent_yet")
    page.context.set_offline(True)
    page.wait_for_function(
        "text => document.getElementById('status').textContent === text", arg=disconnected
    )
    page.fill("#message", "what is grooming")
    page.press("#message", "Enter")
    assert page.locator(".from-you.not-sent").last.inner_text().endswith(not_sent)
    before = page.locator(".from-bot").count()
    page.context.set_offline(False)
    reply = chat.wait_for_reply(before)
    assert first_sentence(catalogue, "utter_grooming") in reply
    assert page.locator(".not-sent").count() == 0
    assert page.locator(".from-you").count() == 1  # shown once, sent once
