"""Answers that fit the person (issue 13), over REST on the running stack.

Follow-up questions are answered from what was said just before and who is asking; each turn
is one or two messages (three only with urgent help); the help listing puts the services that
fit the person first. Each REST message names the content items it was made of.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Conversation

pytestmark = pytest.mark.slow

NOTICE = "utter_draft_content_notice"  # the test-version notice: its own message, first turn only


def answered(replies: list[dict]) -> list[str]:
    """Return the content items a turn's replies were made of, in order."""
    return [name for message in replies for name in message.get("responses", [])]


def bubbles(replies: list[dict]) -> int:
    """Return how many messages a person saw this turn, not counting the test-version notice."""
    return sum(1 for m in replies if m.get("responses") != [NOTICE])


def turn(conversation: Conversation, text: str, *, most: int = 2) -> list[str]:
    """Say ``text``; check the turn's message count; return what answered it (not the notice)."""
    replies = conversation.say(text)
    assert 1 <= bubbles(replies) <= most, (text, [m.get("text") for m in replies])
    return [name for name in answered(replies) if name != NOTICE]


def listing_order(replies: list[dict], names: list[str]) -> list[int]:
    """Return where each of ``names`` first appears in the help listing's text."""
    text = "\n".join(m.get("text", "") for m in replies)
    return [text.find(name) for name in names]


def test_a_parent_worried_about_their_son_is_asked_what_they_noticed_then_told_what_to_do(
    conversation, catalogue
):
    assert "utter_worry_about_child" in turn(conversation, "im worried about my son")
    replies = conversation.say("what should i do")
    assert answered(replies) == ["utter_what_to_do"]
    assert catalogue.item("utter_what_to_do").variant_for("en", "parent").web in replies[0]["text"]
    assert "utter_talking_to_your_child" in turn(conversation, "how do i talk to him about it")


def test_a_teacher_asks_how_to_refer_then_what_the_mash_needs(conversation, catalogue):
    conversation.say("im a teacher")
    assert "utter_how_to_refer" in turn(conversation, "how do i refer to the mash")
    replies = conversation.say("what information do they need")
    assert answered(replies) == ["utter_mash_what_to_have_ready"]
    adult = catalogue.item("utter_mash_what_to_have_ready").variant_for("en", "professional").web
    assert adult in replies[0]["text"]
    assert "utter_after_telling" in turn(conversation, "what happens after i refer")


def test_a_young_person_who_told_gets_answers_about_what_happens_next(conversation):
    told = turn(conversation, "a man keeps making me do stuff with him and says i cant tell anyone")
    assert "utter_disclosure_believe" in told and "utter_escalation_reference" in told
    assert turn(conversation, "what happens now") == ["utter_after_telling"]
    assert turn(conversation, "will they tell my mum") == ["utter_will_they_tell_parents"]
    assert turn(conversation, "is it my fault") == ["utter_not_your_fault"]


def test_a_friends_disclosure_then_what_should_i_do_is_about_helping_the_friend(conversation):
    told = turn(
        conversation, "my friend told me her boyfriend who is 25 makes her sleep with his mates"
    )
    assert "utter_disclosure_friend" in told
    assert turn(conversation, "what should i do") == ["utter_helping_a_friend"]


def test_after_the_online_blackmail_topic_what_should_i_do_gives_the_steps(conversation):
    assert turn(conversation, "what is sextortion") == ["utter_online_exploitation"]
    assert turn(conversation, "what should i do") == ["utter_online_blackmail"]


def test_danger_shows_urgent_help_in_its_own_first_message_and_at_most_three(conversation):
    replies = conversation.say(
        "hes outside my house now and says hell hurt me if i dont go with him"
    )
    seen = [m for m in replies if m.get("responses") != [NOTICE]]
    assert 2 <= len(seen) <= 3
    assert seen[0]["responses"] == ["utter_danger_now"] and "999" in seen[0]["text"]
    assert "utter_escalation_reference" in answered(replies)


@pytest.mark.parametrize(
    ("opening", "first_after_999", "not_before"),
    [
        ("I manage a hotel", ["Police (not an emergency)", "MASH"], ["Childline", "Shout"]),
        ("im a taxi driver", ["Police (not an emergency)", "MASH"], ["Childline", "Shout"]),
        # the NSPCC line closes at 10pm: then the council's out-of-hours team comes first
        ("im a parent", ["NSPCC", "out-of-hours", "MASH"], ["Shout", "Childline"]),
        ("im a teacher", ["Police (not an emergency)", "MASH"], ["Childline", "Shout"]),
    ],
)
def test_adults_asking_who_to_call_get_police_and_the_council_before_young_peoples_lines(
    assistant, opening, first_after_999, not_before
):
    conversation = Conversation(assistant.rest_webhook)
    conversation.say(opening)
    replies = conversation.say("who do i call")
    assert bubbles(replies) == 1
    assert answered(replies)[-1] in ("utter_help_listing_short", "utter_help_listing_all")
    emergency, *wanted = listing_order(replies, ["Call 999", *first_after_999])
    later = [p for p in listing_order(replies, not_before) if p >= 0]
    assert emergency >= 0 and all(emergency < p for p in wanted if p >= 0)
    assert any(p >= 0 for p in wanted)
    assert all(p > max(wanted) for p in later)


def test_a_young_person_gets_a_short_listing_then_more_services_on_request(conversation):
    conversation.say("im 14")
    replies = conversation.say("where can i get help")
    assert answered(replies) == ["utter_help_listing_short"]
    short = replies[0]["text"]
    assert short.index("999") < short.index("Childline")
    assert [b["title"] for b in replies[0]["buttons"]] == ["More services"]
    more = conversation.say(replies[0]["buttons"][0]["payload"])
    assert answered(more) == ["utter_help_listing_all"]
    assert len(more[0]["text"]) > len(short)


def test_the_greeting_and_the_not_understood_answer_are_few_messages(conversation):
    greeting = conversation.say("hello")
    assert answered(greeting) == [NOTICE, "utter_greet", "utter_ask_audience"]
    assert bubbles(greeting) == 1
    turn(conversation, "purple monkey dishwasher")
    assert "utter_offer_person" in turn(conversation, "zxcv qwerty plonk")


def test_the_help_finder_asks_about_danger_first_then_what_kind_of_help(conversation):
    assert turn(conversation, "where can i get help") == ["utter_help_finder_danger"]
    assert turn(conversation, "no") == ["utter_help_finder_kind"]
    replies = conversation.say("qr:find_help_image_removal")
    assert answered(replies) == ["utter_help_listing_short"]
    assert listing_order(replies, ["Call 999", "Childline", "CEOP"]) == sorted(
        listing_order(replies, ["Call 999", "Childline", "CEOP"])
    )


def test_the_help_finder_says_call_999_now_when_someone_is_in_danger(conversation):
    assert turn(conversation, "where can i get help") == ["utter_help_finder_danger"]
    replies = conversation.say("qr:affirm")
    assert answered(replies) == ["utter_help_finder_danger_yes"]
    assert replies[0]["text"].startswith("Call 999 now")
