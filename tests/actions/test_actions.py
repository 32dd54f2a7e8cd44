from rasa_sdk import Tracker
from rasa_sdk.events import SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionNotUnderstood, consecutive_misses
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


async def test_help_lists_every_audience_service_with_status_and_sample_marker(
    catalogue, monkeypatch
):
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "wiltshire")
    responses, messages, _ = await run(
        ActionShowHelpServices(), tracker(slots={"audience": "parent"})
    )
    assert responses[0] == "utter_help_intro"
    entries = [m for m in messages if m["response"].startswith("utter_service_entry_")]
    names = [m["name"] for m in entries]
    assert names[0] == "Police, fire or ambulance (emergency)"
    assert "NSPCC Helpline" in names and "Childline" not in names
    mash = next(m for m in entries if m["name"].startswith("Wiltshire MASH"))
    assert mash["sample_marker"] == " " + catalogue.text(
        "label_sample_marker", "en", "parent", "web"
    )
    assert mash["contacts"] == "Call 01632 960001"
    nspcc = next(m for m in entries if m["name"] == "NSPCC Helpline")
    assert nspcc["sample_marker"] == ""


async def test_session_start_shows_the_draft_notice_while_content_is_unreviewed():
    running_draft_content.cache_clear()
    responses, _, events = await run(ActionSessionStart(), tracker())
    assert responses == ["utter_draft_content_notice"]
    assert events[0] == SessionStarted()
