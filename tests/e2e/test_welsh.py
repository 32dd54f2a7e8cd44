"""Cymraeg over REST on the running stack (issue 14): the conversation follows the person's
language, by what they write or by choosing it, and the safety net reads Welsh."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Conversation

pytestmark = pytest.mark.slow


def welsh(catalogue, item_id: str, audience: str | None = None) -> str:
    return catalogue.item(item_id).variant_for("cy", audience).web


def english(catalogue, item_id: str, audience: str | None = None) -> str:
    return catalogue.item(item_id).variant_for("en", audience).web


def answered(replies: list[dict]) -> list[str]:
    return [name for message in replies for name in message.get("responses", [])]


def test_a_message_in_welsh_is_answered_in_welsh_and_english_switches_back(
    conversation, catalogue, escalations
):
    replies = conversation.say("shwmae, beth yw camfanteisio rhywiol ar blant?")
    text = "\n\n".join(m["text"] for m in replies)
    assert "utter_what_is_cse" in answered(replies)
    assert welsh(catalogue, "utter_what_is_cse") in text
    assert escalations.all_for(conversation.sender) == []
    back = conversation.say("what are the warning signs please")
    assert english(catalogue, "utter_warning_signs") in "\n\n".join(m["text"] for m in back)


def test_choosing_a_language_by_name_or_button_switches_and_short_replies_keep_it(
    conversation, catalogue
):
    chosen = conversation.say("qr:choose_welsh")
    assert answered(chosen)[-1] == "utter_language_chosen"
    assert welsh(catalogue, "utter_language_chosen") in chosen[-1]["text"]
    kept = conversation.say("diolch")
    assert all(english(catalogue, name) not in m["text"] for m in kept for name in answered(kept))
    typed = conversation.say("English")
    assert english(catalogue, "utter_language_chosen") in typed[-1]["text"]


def test_the_welsh_example_of_issue_11_is_not_a_disclosure_any_more(
    assistant, catalogue, escalations
):
    person = Conversation(assistant.rest_webhook)
    replies = person.say("sut mae, dw i eisiau siarad yn gymraeg")
    assert escalations.all_for(person.sender) == []
    assert "utter_disclosure_believe" not in answered(replies)


def test_a_disclosure_in_welsh_is_believed_in_welsh_and_escalated_with_a_reference(
    assistant, catalogue, escalations
):
    person = Conversation(assistant.rest_webhook)
    replies = person.say(
        "mae dyn hŷn o snap yn gwneud i fi anfon lluniau noeth ac yn dweud mod i mewn dyled iddo"
    )
    text = "\n\n".join(m["text"] for m in replies)
    [escalation] = escalations.all_for(person.sender)
    assert escalation.reference in text
    assert welsh(catalogue, "utter_disclosure_believe") in text


def test_facts_told_in_welsh_over_several_short_messages_are_read_together(
    assistant, catalogue, escalations
):
    person = Conversation(assistant.rest_webhook)
    for text in ("shwmae, dwi isio siarad yn gymraeg", "ma nghariad i'n 22", "fi'n 14"):
        person.say(text)
    assert escalations.all_for(person.sender) == []
    replies = person.say("ni di cysgu gyda'n gilydd")
    [escalation] = escalations.all_for(person.sender)
    assert (escalation.route, escalation.subject) == ("disclosure", "self")
    assert escalation.reference in "\n\n".join(m["text"] for m in replies)
