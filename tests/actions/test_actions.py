from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionNotUnderstood, consecutive_misses
from actions.follow_up import ActionAnswerFollowUp
from actions.help_services import ActionShowHelpServices
from actions.session import ActionSessionStart, running_draft_content
from actions.sign_checker import SIGN_LABELS, ActionSummariseSignChecker

DOMAIN: dict = {}


def user(intent, text="x", channel="rest"):
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent}},
        "input_channel": channel,
    }


def action(name):
    return {"event": "action", "name": name}


def tracker(events=(), slots=None, active_loop=None, latest_intent="greet", channel="rest"):
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={"intent": {"name": latest_intent}, "text": "x"},
        events=[*events, user(latest_intent, channel=channel)],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


async def run(action_instance, t):
    dispatcher = CollectingDispatcher()
    events = await action_instance.run(dispatcher, t, DOMAIN)
    return [m["response"] for m in dispatcher.messages], dispatcher.messages, events


def test_consecutive_misses_counts_only_an_unbroken_run():
    understood = [user("greet"), action("utter_greet")]
    missed = [user("nlu_fallback"), action("action_not_understood")]
    current = [user("nlu_fallback")]
    assert consecutive_misses(current) == 1
    assert consecutive_misses(missed + current) == 2
    assert consecutive_misses(missed + understood + current) == 1


async def test_one_miss_says_so_and_two_in_a_row_offer_a_person():
    responses, _, _ = await run(ActionNotUnderstood(), tracker(latest_intent="nlu_fallback"))
    assert responses == ["utter_not_understood"]
    earlier = [user("nlu_fallback"), action("action_not_understood")]
    responses, _, _ = await run(
        ActionNotUnderstood(), tracker(earlier, latest_intent="nlu_fallback")
    )
    assert responses == ["utter_not_understood", "utter_offer_person"]


async def test_not_understood_inside_the_checker_explains_the_answers_and_does_not_count_a_miss():
    earlier = [user("nlu_fallback"), action("action_not_understood")]
    t = tracker(
        earlier, slots={"requested_slot": "sign_gifts"}, active_loop="warning_sign_checker_form"
    )
    responses, _, _ = await run(ActionNotUnderstood(), t)
    assert responses == ["utter_checker_please_answer"]


async def test_summary_lists_noticed_signs_by_their_reviewed_labels_and_resets(catalogue):
    slots = {"sign_missing": "yes", "sign_gifts": "no", "sign_phone": "yes", "sign_mood": "skipped"}
    responses, messages, events = await run(ActionSummariseSignChecker(), tracker(slots=slots))
    assert responses == ["utter_checker_summary_noticed", "utter_checker_what_to_do"]
    listed = messages[0]["noticed_signs"]
    missing = catalogue.text("label_sign_missing", "en", None, "web")
    phone = catalogue.text("label_sign_phone", "en", None, "web")
    assert listed == f"{missing}\n- {phone}"
    assert events == [SlotSet(sign, None) for sign in SIGN_LABELS]


async def test_summary_on_sms_joins_labels_on_one_line(catalogue):
    slots = {"sign_missing": "yes", "sign_phone": "yes"}
    _, messages, _ = await run(ActionSummariseSignChecker(), tracker(slots=slots, channel="sms"))
    assert "\n" not in messages[0]["noticed_signs"]


async def test_stopping_early_with_nothing_noticed_still_says_what_to_do():
    responses, _, _ = await run(ActionSummariseSignChecker(), tracker(latest_intent="stop"))
    assert responses == [
        "utter_checker_stopped",
        "utter_checker_summary_none",
        "utter_checker_what_to_do",
    ]


async def test_help_is_one_message_with_999_first_and_the_audiences_services(
    catalogue, monkeypatch
):
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "wiltshire")
    responses, messages, _ = await run(
        ActionShowHelpServices(), tracker(slots={"audience": "parent"})
    )
    assert responses == ["utter_help_listing_short"]
    entries = messages[0]["entries"].split("\n\n")
    assert len(entries) == 4
    assert entries[0].startswith("Police, fire or ambulance (emergency)")
    assert not any(e.startswith(("Childline", "Shout")) for e in entries)
    # advice for a worried adult first: the NSPCC line, or out of its hours the council's team
    assert any(
        e.startswith(("NSPCC Helpline", "Wiltshire out-of-hours", "Wiltshire MASH"))
        for e in entries
    )


async def test_more_services_lists_them_all_with_sample_markers(catalogue, monkeypatch):
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "wiltshire")
    responses, messages, _ = await run(
        ActionShowHelpServices(),
        tracker(slots={"audience": "parent"}, latest_intent="ask_more_services"),
    )
    assert responses == ["utter_help_listing_all"]
    entries = messages[0]["entries"].split("\n\n")
    assert len(entries) > 4
    marker = catalogue.text("label_sample_marker", "en", "parent", "web")
    mash = next(e for e in entries if e.startswith("Wiltshire MASH"))
    assert marker in mash and "Call 01632 960001" in mash
    nspcc = next(e for e in entries if e.startswith("NSPCC Helpline"))
    assert marker not in nspcc


async def test_help_after_the_online_blackmail_steps_puts_image_removal_first(monkeypatch):
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "wiltshire")
    earlier = [user("ask_online_blackmail"), action("utter_online_blackmail")]
    _, messages, _ = await run(
        ActionShowHelpServices(), tracker(earlier, slots={"audience": "young_person"})
    )
    entries = messages[0]["entries"].split("\n\n")
    assert entries[1].startswith("Childline") and entries[2].startswith("CEOP")


async def test_help_with_nothing_known_asks_the_finder_question_and_its_answer_sets_the_need(
    monkeypatch,
):
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "wiltshire")
    _, _, events = await run(ActionShowHelpServices(), tracker(latest_intent="ask_help_services"))
    assert events == [FollowupAction("utter_help_finder_danger")]
    _, messages, _ = await run(
        ActionShowHelpServices(), tracker(latest_intent="find_help_after_assault")
    )
    entries = messages[0]["entries"].split("\n\n")
    assert entries[0].startswith("Police, fire or ambulance")
    assert entries[1].startswith(("Rape Crisis", "Childline"))


async def test_a_follow_up_is_answered_from_the_latest_answer_that_gives_a_context():
    friend = [
        user("ask_grooming"),
        action("utter_grooming"),
        user("disclosure"),
        action("utter_disclosure_friend"),
        action("action_escalate"),
        action("utter_escalation_reference"),
        action("utter_ask_talk_to_duty_worker"),
    ]
    responses, _, _ = await run(
        ActionAnswerFollowUp(), tracker(friend, latest_intent="ask_what_to_do")
    )
    assert responses == ["utter_helping_a_friend"]
    responses, _, _ = await run(ActionAnswerFollowUp(), tracker(latest_intent="ask_what_to_do"))
    assert responses == ["utter_what_to_do"]


async def test_a_follow_up_can_hand_over_to_an_action_and_an_unknown_intent_is_not_understood():
    _, _, events = await run(ActionAnswerFollowUp(), tracker(latest_intent="greet"))
    assert events == [FollowupAction("action_not_understood")]


async def test_session_start_shows_the_draft_notice_while_content_is_unreviewed():
    running_draft_content.cache_clear()
    responses, _, events = await run(ActionSessionStart(), tracker())
    assert responses == ["utter_draft_content_notice"]
    assert events[0] == SessionStarted()
