"""Tried as a new user would, over REST: every topic and audience, the checker, help, misses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.content.schema import AUDIENCES
from bot.services import help_listing, open_status, uk_now
from tests.e2e.conftest import Conversation

pytestmark = pytest.mark.slow

TOPICS = {
    "what is child sexual exploitation?": "utter_what_is_cse",
    "what does grooming mean": "utter_grooming",
    "why do they give kids gifts and money": "utter_exchange",
    "what does consent mean": "utter_consent",
    "can boys be exploited too": "utter_who_is_affected",
    "what is sextortion": "utter_online_exploitation",
    "how do i get a nude photo taken down": "utter_image_removal",
    "how do i report online grooming to ceop": "utter_report_online",
    "what should i do if my child goes missing": "utter_going_missing",
    "what is county lines": "utter_criminal_exploitation",
    "what does a healthy relationship look like": "utter_healthy_relationships",
    "what warning signs should i look for": "utter_warning_signs",
    "how do i make a referral to the mash": "utter_how_to_refer",
    "who can see what i write here": "utter_privacy",
    "how do i delete this chat": "utter_delete_conversation",
    "can i talk to a real person": "utter_offer_person",
}


def web(catalogue, item_id: str, audience: str | None = None) -> str:
    return catalogue.item(item_id).variant_for("en", audience).web


def test_greeting_says_it_is_a_program_no_name_needed_and_urgent_help(conversation, catalogue):
    replies = conversation.say("hello")
    text = "\n\n".join(m["text"] for m in replies)
    expected = [
        web(catalogue, "utter_draft_content_notice"),
        web(catalogue, "utter_greet"),
        web(catalogue, "utter_ask_audience"),
    ]
    assert text == "\n\n".join(expected)
    assert "computer program" in text and "name" in text and "999" in text
    titles = [b["title"] for b in replies[-1]["buttons"]]
    assert len(titles) == 6 and titles[-1] == "Cymraeg"


@pytest.mark.parametrize("audience", [None, *AUDIENCES])
def test_every_topic_is_answered_for_every_audience(assistant, catalogue, audience):
    conversation = Conversation(assistant.rest_webhook)
    conversation.say("hi")
    if audience:
        noted = conversation.reply_text(f"qr:identify_{audience}")
        assert noted == web(catalogue, "utter_audience_noted", audience)
    for text, item_id in TOPICS.items():
        assert conversation.reply_text(text) == web(catalogue, item_id, audience), text


def test_audience_is_understood_from_what_people_say(conversation, catalogue):
    draft = web(catalogue, "utter_draft_content_notice") + "\n\n"
    noted = web(catalogue, "utter_audience_noted", "professional")
    assert conversation.reply_text("im a teacher") == draft + noted
    assert conversation.reply_text("what are the signs") == web(
        catalogue, "utter_warning_signs", "professional"
    )


def test_the_checker_runs_to_the_end_with_skips(conversation, catalogue):
    conversation.say("qr:identify_parent")
    intro = conversation.reply_text("can you go through the warning signs with me one by one")
    assert intro == web(catalogue, "utter_checker_intro") + "\n\n" + web(
        catalogue, "utter_ask_sign_missing"
    )
    answers = ["yes", "no", "skip", "yes", "no", "skip", "no", "no"]
    asked = ["gifts", "older_friends", "substances", "phone", "mood", "school", "sexual_health"]
    for answer, next_sign in zip(answers, [*asked, None], strict=True):
        reply = conversation.reply_text(answer)
        if next_sign:
            assert reply == web(catalogue, f"utter_ask_sign_{next_sign}")
    noticed = [
        catalogue.text(f"label_sign_{s}", "en", "parent", "web") for s in ("missing", "substances")
    ]
    summary = web(catalogue, "utter_checker_summary_noticed").replace(
        "{noticed_signs}", "\n- ".join(noticed)
    )
    assert reply == summary + "\n\n" + web(catalogue, "utter_checker_what_to_do")
    assert "score" not in reply.lower()
    # the checker can be run again from the start
    again = conversation.reply_text("checklist please")
    assert again.endswith(web(catalogue, "utter_ask_sign_missing"))


def test_the_checker_can_be_stopped_early(conversation, catalogue):
    conversation.say("check the signs with me")
    assert conversation.reply_text("no") == web(catalogue, "utter_ask_sign_gifts")
    stopped = conversation.reply_text("stop")
    assert stopped == "\n\n".join(
        [
            web(catalogue, "utter_checker_stopped"),
            web(catalogue, "utter_checker_summary_none"),
            web(catalogue, "utter_checker_what_to_do"),
        ]
    )
    # after stopping, normal questions work again
    assert conversation.reply_text("what is grooming") == web(catalogue, "utter_grooming")


def test_a_question_inside_the_checker_is_answered_with_a_clear_prompt(conversation, catalogue):
    conversation.say("check the signs with me")
    reply = conversation.reply_text("asdkjh qwe zzz")
    assert reply == web(catalogue, "utter_checker_please_answer") + "\n\n" + web(
        catalogue, "utter_ask_sign_missing"
    )
    assert conversation.reply_text("yes") == web(catalogue, "utter_ask_sign_gifts")


def test_help_lists_services_with_the_right_open_or_closed_status(conversation, catalogue):
    conversation.say("qr:identify_parent")
    before = uk_now()
    replies = conversation.say("qr:ask_more_services")
    after = uk_now() + timedelta(seconds=1)
    profile = catalogue.profile("wiltshire")
    listing = help_listing(
        catalogue.services_for_profile(profile), "parent", before, profile.bank_holidays
    )
    assert len(replies) == 1
    entries = replies[0]["text"].split("\n\n")[1:]
    assert len(entries) == len(listing)
    status_words = {
        "always_open": "Open 24 hours",
        "open": "Open now.",
        "closed": "Closed now.",
        "hours_unknown": "Check",
    }
    for entry, text in zip(listing, entries, strict=True):
        assert text.startswith(entry.service.name["en"])
        statuses = {
            open_status(entry.service, when, profile.bank_holidays).value
            for when in (before, after)
        }
        assert any(status_words[s] in text for s in statuses), text
    assert "(SAMPLE - not a real number)" in "\n".join(entries)
    assert entries[0].startswith("Police, fire or ambulance")


def test_two_misses_in_a_row_offer_a_person(conversation, catalogue):
    conversation.say("hi")
    first = conversation.reply_text("blorp fnarg")
    assert first == web(catalogue, "utter_not_understood")
    assert "999" in first
    second = conversation.reply_text("zzkx qqwv")
    assert second == web(catalogue, "utter_not_understood") + "\n\n" + web(
        catalogue, "utter_offer_person"
    )
