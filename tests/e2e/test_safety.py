"""The safety net through the live stack over REST: danger, disclosure, duplicates, references."""

from __future__ import annotations

import json
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from bot.runner import RunSettings, environment, running_assistant
from bot.storage.escalations import EscalationStore
from bot.storage.references import check_character, parse_reference
from tests.e2e.conftest import Conversation, sms_environment
from tests.e2e.texter import NUMBERS, Texter

pytestmark = pytest.mark.slow

DANGER = "im being forced to have sex and im only 12"
SPREAD = "my ex posted them on a group chat, the ones i sent him"


def web(catalogue, item_id: str, audience: str | None = None) -> str:
    return catalogue.item(item_id).variant_for("en", audience).web


def shown_reference(reply: str) -> str:
    reference = parse_reference(reply)
    assert reference, reply
    return reference


def test_the_issue_sentence_gets_999_and_a_stored_reference_in_the_first_answer(
    conversation, escalations, catalogue
):
    reply = conversation.reply_text(DANGER)
    assert reply.startswith(web(catalogue, "utter_draft_content_notice"))
    assert web(catalogue, "utter_danger_now") in reply
    assert "999" in reply
    reference = shown_reference(reply)
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.reference, stored.priority, stored.route) == (reference, 1, "danger")
    assert stored.subject == "self" and "sexual_abuse" in stored.indicators
    assert reply.endswith(web(catalogue, "utter_ask_talk_to_duty_worker"))


def test_a_disclosure_is_believed_told_the_limits_and_escalated(
    conversation, escalations, catalogue
):
    reply = conversation.reply_text("my uncle touches me when mum is at work")
    assert web(catalogue, "utter_disclosure_believe") in reply
    assert web(catalogue, "utter_disclosure_confidentiality") in reply
    [stored] = escalations.all_for(conversation.sender)
    assert stored.priority == 2 and stored.reference == shown_reference(reply)
    declined = conversation.reply_text("no")
    assert declined.startswith(web(catalogue, "utter_consent_no"))
    assert "Childline" in declined  # they still get the right services
    assert escalations.all_for(conversation.sender)[0].consent == "no"


def test_a_fragment_after_a_disclosure_is_added_for_the_duty_worker_not_misunderstood(
    conversation, escalations, catalogue
):
    reference = shown_reference(conversation.reply_text("he makes me send him pictures"))
    reply = conversation.reply_text("for pics and videos")
    added = catalogue.item("utter_escalation_added").variant_for("en", None).web
    assert reply == added.replace("{reference}", reference)
    assert len(escalations.all_for(conversation.sender)) == 1


def test_more_of_the_story_after_a_disclosure_is_added_not_answered_as_a_topic(
    conversation, escalations, catalogue
):
    reference = shown_reference(conversation.reply_text(SPREAD))
    added = catalogue.item("utter_escalation_added").variant_for("en", None).web
    for statement in (
        "we were both 15 when i sent them hes 16 now",
        "he said everyone would see them",
    ):
        assert conversation.reply_text(statement) == added.replace("{reference}", reference)
    police = web(catalogue, "utter_what_to_say_calling_police")
    assert police in conversation.reply_text("how do i call the police about it")
    assert len(escalations.all_for(conversation.sender)) == 1


def test_a_worried_adult_gets_the_route_and_no_escalation_unless_they_ask(
    assistant, escalations, catalogue
):
    parent = Conversation(assistant.rest_webhook)
    text = "my 14 year old daughter has a new phone and keeps going missing overnight"
    assert parent.reply_text(text).endswith(web(catalogue, "utter_concern_route"))
    assert escalations.all_for(parent.sender) == []
    parent.say("yes please")
    [stored] = escalations.all_for(parent.sender)
    assert (stored.priority, stored.route, stored.subject) == (3, "concern", "own_child")


def test_questions_never_open_escalations(assistant, escalations):
    for text in ("what is grooming?", "I'm not in danger, just asking what county lines is"):
        asker = Conversation(assistant.rest_webhook)
        asker.say(text)
        assert escalations.all_for(asker.sender) == [], text


# The issue's examples of crying wolf: ordinary life must open nothing and never say "call 999,
# go to a shop" as if the person were in danger.
EVERYDAY = [
    "im going cinema tonight with my bf",
    "my dad will kill me if i miss the bus again",
    "im crying laughing cant breathe",
    "this essay is abusing me",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_life_opens_no_escalation_and_no_danger_answer(
    assistant, escalations, catalogue, text
):
    person = Conversation(assistant.rest_webhook)
    reply = person.reply_text(text)
    assert escalations.all_for(person.sender) == []
    assert web(catalogue, "utter_danger_now") not in reply
    assert web(catalogue, "utter_disclosure_believe") not in reply
    assert web(catalogue, "utter_check_gentle") not in reply


def test_asking_for_help_right_now_shows_999_first_and_raises_no_alarm(
    assistant, escalations, catalogue
):
    person = Conversation(assistant.rest_webhook)
    reply = person.reply_text("where can i get help right now")
    assert escalations.all_for(person.sender) == []
    assert web(catalogue, "utter_danger_now") not in reply
    finder = reply.split(web(catalogue, "utter_draft_content_notice"), 1)[1]
    assert web(catalogue, "utter_help_finder_danger").strip() == finder.strip()
    assert "999" in finder


def test_a_message_in_another_language_gets_an_honest_answer_and_no_escalation(
    assistant, escalations, catalogue
):
    person = Conversation(assistant.rest_webhook)
    reply = person.reply_text("cześć, jak się masz dzisiaj, chcę porozmawiać")
    assert reply.endswith(web(catalogue, "utter_language_not_supported"))
    assert "999" in reply
    assert escalations.all_for(person.sender) == []


def test_self_harm_not_now_is_taken_seriously_and_never_sent_to_the_police_or_a_shop(
    conversation, escalations, catalogue
):
    reply = conversation.reply_text("i feel like hurting myself")
    assert web(catalogue, "utter_self_harm") in reply
    assert "116 123" in reply and "0800 068 4141" in reply and "85258" in reply
    assert "shop" not in reply and "Ask for the police" not in reply
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.priority, stored.subject) == ("self_harm", 2, "self")


def test_self_harm_happening_now_is_priority_1_with_999_or_a_and_e(
    conversation, escalations, catalogue
):
    reply = conversation.reply_text("ive just taken a load of pills")
    assert web(catalogue, "utter_self_harm_now") in reply
    assert "999 or go to A&E" in reply and "shop" not in reply
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.priority) == ("self_harm", 1)


def test_a_friend_who_wants_to_die_gets_the_friend_wording_not_the_police_and_a_shop(
    conversation, escalations, catalogue
):
    reply = conversation.reply_text("my friend wants to kill herself")
    assert (
        web(catalogue, "utter_self_harm_other_now", "young_person") in reply
        or web(catalogue, "utter_self_harm_other_now") in reply
    )
    assert "shop" not in reply and "Ask for the police" not in reply
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.subject) == ("self_harm", "friend")


def test_a_friends_disclosure_thanks_the_writer_and_is_not_believed_as_their_own(
    conversation, escalations, catalogue
):
    reply = conversation.reply_text("my mate sent nudes to a guy and now hes asking for £200")
    assert web(catalogue, "utter_disclosure_friend") in reply
    assert web(catalogue, "utter_disclosure_believe") not in reply
    assert (
        web(catalogue, "utter_confidentiality_other", "young_person") in reply
        or web(catalogue, "utter_confidentiality_other") in reply
    )
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.priority, stored.subject) == ("disclosure", 2, "friend")


def test_facts_that_arrive_over_several_messages_are_read_together(
    conversation, escalations, catalogue
):
    turns = ["hi", "im 15", "i met someone online hes 19"]
    replies = [conversation.reply_text(turn) for turn in turns]
    assert escalations.all_for(conversation.sender) == []
    last = conversation.reply_text("he wants to meet up and says not to tell my mum")
    assert web(catalogue, "utter_disclosure_believe") in last
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.priority, stored.subject) == ("disclosure", 2, "self")
    assert {"meet_up", "secrecy"} <= set(stored.indicators)
    # the gentle check is never asked twice in one conversation
    check = web(catalogue, "utter_check_gentle")
    assert sum(reply.count(check) for reply in [*replies, last]) <= 1


def test_an_adult_met_online_by_a_child_of_13_is_escalated_once(
    conversation, escalations, catalogue
):
    # the issue's own conversation: at 13, a 19-year-old met online is already a disclosure
    replies = [conversation.reply_text(t) for t in ("hi", "im 13", "i met someone online hes 19")]
    assert web(catalogue, "utter_disclosure_believe") in replies[-1]
    conversation.reply_text("he wants to meet up and says not to tell my mum")
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.priority, stored.subject) == ("disclosure", 2, "self")


def test_a_sentence_sent_in_pieces_is_read_as_one(conversation, escalations, catalogue):
    conversation.reply_text("theres a man who gives me money")
    assert escalations.all_for(conversation.sender) == []
    reply = conversation.reply_text("for pics")
    assert web(catalogue, "utter_disclosure_believe") in reply
    [stored] = escalations.all_for(conversation.sender)
    assert (stored.route, stored.priority) == ("disclosure", 2)
    assert "sexual_exploitation" in stored.indicators


def test_the_same_message_twice_opens_one_escalation(conversation, escalations):
    first = shown_reference(conversation.reply_text(DANGER))
    second = shown_reference(conversation.reply_text(DANGER))
    assert first == second
    assert len(escalations.all_for(conversation.sender)) == 1


def test_the_same_message_delivered_twice_at_once_opens_one_escalation(assistant, escalations):
    person = Conversation(assistant.rest_webhook)
    with ThreadPoolExecutor(max_workers=2) as pool:
        replies = list(pool.map(lambda _: person.reply_text(DANGER), range(2)))
    assert {shown_reference(r) for r in replies} == {
        escalations.all_for(person.sender)[0].reference
    }
    assert len(escalations.all_for(person.sender)) == 1


def test_a_quoted_reference_links_the_conversations_and_reveals_nothing(
    assistant, escalations, catalogue
):
    first = Conversation(assistant.rest_webhook)
    reference = shown_reference(first.reply_text("my bf is 24 and makes me sleep with his mates"))
    later = Conversation(assistant.rest_webhook)
    reply = later.reply_text(f"hi i talked to you before, my number is {reference.lower()}")
    assert reply.endswith(web(catalogue, "utter_reference_quoted"))
    assert "mates" not in reply and "24" not in reply
    assert escalations.links_for(reference) == [later.sender]
    # a well-formed reference that does not exist gets exactly the same answer
    payload = "ABCDEFG"
    unknown = f"{payload[:4]}-{payload[4:]}{check_character(payload)}"
    stranger = Conversation(assistant.rest_webhook)
    assert stranger.reply_text(f"my reference is {unknown}").endswith(
        web(catalogue, "utter_reference_quoted")
    )


def user_parses(tracker_db, sender):
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        )
        return [json.loads(data)["parse_data"] for (data,) in rows]


def test_slash_commands_from_users_do_nothing(assistant, conversation, catalogue, escalations):
    conversation.say("qr:identify_parent")
    slash = ["/restart", "/session_start", '/report_danger{"x": 1}', "/ask_help_services"]
    for text in slash[:3]:
        reply = conversation.reply_text(text)
        assert not reply.startswith(web(catalogue, "utter_danger_now")), text
    conversation.say(slash[3])
    # every one went through the NLU pipeline and the safety net; none forced an intent
    parses = user_parses(assistant.tracker_db, conversation.sender)[1:]
    assert [p["text"][0] for p in parses] == ["\uff0f"] * 4
    assert all("safety" in p for p in parses)
    named = ["restart", "session_start", "report_danger"]
    assert all(p["intent"]["name"] != name for p, name in zip(parses[:3], named, strict=True))
    # the conversation was not restarted: the audience is still known
    signs = conversation.reply_text("what are the warning signs")
    assert signs == web(catalogue, "utter_warning_signs", "parent")
    assert escalations.all_for(conversation.sender) == []


def test_danger_is_caught_inside_a_running_form(conversation, escalations, catalogue):
    conversation.say("check the warning signs with me one by one")
    assert conversation.reply_text("yes") == web(catalogue, "utter_ask_sign_gifts")
    reply = conversation.reply_text("hes outside the house now and says hes going to hurt me")
    assert reply.startswith(web(catalogue, "utter_danger_now"))
    assert escalations.all_for(conversation.sender)[0].priority == 1
    # the checker was stopped: a question now gets its answer, not the next sign
    assert conversation.reply_text("what is grooming") == web(catalogue, "utter_grooming")


BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t ",
    "emoji": "🙂🙂🙂🙂",
    "huge": "please " * 715,
    "zero-width": "\u200b\u200c\u200d\ufeff" * 40,
    "cyrillic": "Привет, как дела?",
    "chinese": "你好，你是谁？",
    "nul": "\x00\x00hi\x00",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "malformed markup": "<![ x help",  # stops Python's HTML parser (bot/safety/markup.py)
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_every_bad_input_gets_a_clear_reply(assistant, name):
    person = Conversation(assistant.rest_webhook)
    replies = person.say(BAD_INPUTS[name])
    texts = [m.get("text", "") for m in replies]
    assert texts and all(texts), name
    assert any(re.search(r"\b999\b", t) for t in texts), name
    assert len(replies) <= 8, name  # answered once, not in a loop


def test_an_ambiguous_message_gets_one_gentle_check_then_the_right_route(
    assistant, escalations, catalogue
):
    unsure = "is it my fault if i said yes"
    confirmed = Conversation(assistant.rest_webhook)
    assert confirmed.reply_text(unsure).endswith(web(catalogue, "utter_check_gentle"))
    assert escalations.all_for(confirmed.sender) == []
    reply = confirmed.reply_text("qr:affirm")
    assert reply.startswith(web(catalogue, "utter_disclosure_believe"))
    [stored] = escalations.all_for(confirmed.sender)
    assert (stored.priority, stored.reference) == (2, shown_reference(reply))

    asking = Conversation(assistant.rest_webhook)
    asking.say(unsure)
    assert asking.reply_text("qr:deny") == web(catalogue, "utter_check_just_asking")
    assert escalations.all_for(asking.sender) == []


def test_with_the_action_server_down_every_message_still_gets_a_safe_answer(
    trained_model, tmp_path, catalogue, fake_twilio
):
    settings = replace(RunSettings.isolated(tmp_path, trained_model), withdrawal_window=0)
    sms = sms_environment(settings, fake_twilio, tmp_path)
    with environment(sms), running_assistant(settings) as processes:
        actions_server = processes[0]
        actions_server.terminate()
        actions_server.wait(timeout=30)
        person = Conversation(settings.rest_webhook)
        reply = person.reply_text("my uncle touches me and says its our secret")
        store = EscalationStore(settings.database_url)
        stored = store.all_for(person.sender)
        asking = Conversation(settings.rest_webhook)
        first = asking.reply_text("hi")
        services = asking.reply_text("qr:ask_help_services")
        texter = Texter(sms["BOT_SMS_PUBLIC_URL"], fake_twilio, next(NUMBERS))
        texts = "\n".join(texter.text_and_wait("my uncle touches me and says its our secret", 2))
        [by_text] = [e for e in store.queue() if e.channel == "sms"]
    # by text too: the disclosure wording, the reference, then whether it is safe to text
    assert by_text.reference in texts
    question = catalogue.text("utter_sms_safe_to_text_question", "en", None, "sms")
    assert question.split(".")[0] in texts
    assert [(e.route, e.priority) for e in stored] == [("disclosure", 2)]
    # the reviewed disclosure wording, then the reference, committed before it was shown
    assert reply.startswith(web(catalogue, "utter_disclosure_believe"))
    assert stored[0].reference in reply
    assert first  # the first message of a conversation is answered
    assert services == web(catalogue, "utter_action_unavailable")
