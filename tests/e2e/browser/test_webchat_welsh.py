"""The web chat page in Welsh, in a real browser: from the first turn to a disclosure."""

from __future__ import annotations

import pytest

from bot.storage.escalations import EscalationStore
from tests.e2e.browser.conftest import AXE, REFERENCE, ChatPage
from tests.e2e.browser.test_webchat_page import AXE_TAGS

pytestmark = pytest.mark.slow
DISCLOSURE = (
    "mae dyn hŷn o snap yn gwneud i fi anfon lluniau noeth ac yn dweud mod i mewn dyled iddo"
)


def welsh_page(catalogue) -> dict[str, str]:
    return {t.id: t.cy for t in catalogue.page_texts}


@pytest.mark.parametrize("width", [320, 1280])
def test_a_welsh_conversation_on_the_welsh_page_reaches_a_reference_and_stays_welsh(
    browser, assistant, catalogue, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, bypass_csp=True, reduced_motion="reduce"
    )
    chat = ChatPage(context.new_page(), f"{assistant.rasa_url}/webchat?lang=cy").open()
    page, texts = chat.page, welsh_page(catalogue)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.title() == texts["title"]
    assert page.locator("h1").inner_text() == texts["heading"]
    assert page.locator("#exit").inner_text() == texts["exit_button"]
    assert page.locator("label[for=message]").inner_text() == texts["input_label"]
    assert page.locator(".urgent").inner_text() == texts["urgent"]
    # the link to the English page is named in English, and marked as English
    english = page.locator("a.language")
    assert (english.inner_text(), english.get_attribute("lang")) == ("English", "en")
    # the first message starts the conversation in Welsh: the greeting is the Welsh one
    greeting = chat.send("helo")
    assert catalogue.text("utter_greet", "cy", None, "web").split("\n")[0][:30] in greeting
    chat.send(DISCLOSURE)
    shown = REFERENCE.findall("\n".join(chat.bot_messages()))
    assert shown
    believe = catalogue.text("utter_disclosure_believe", "cy", "young_person", "web")
    assert believe.split("\n")[0][:40] in "\n".join(chat.bot_messages())
    stored = EscalationStore(assistant.database_url).all_for(chat.session["session_id"])
    assert [e.reference for e in stored] == [shown[0]]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_the_english_page_links_to_the_welsh_one(chat: ChatPage, catalogue):
    page = chat.page
    assert page.locator("html").get_attribute("lang") == "en"
    welsh = page.locator("a.language")
    assert (welsh.inner_text(), welsh.get_attribute("lang")) == ("Cymraeg", "cy")
    welsh.click()
    page.wait_for_url("**lang=cy")
    assert page.locator("h1").inner_text() == welsh_page(catalogue)["heading"]
