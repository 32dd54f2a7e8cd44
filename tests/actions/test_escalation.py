"""The reference is shown only after the escalation is committed to a real database; the
escalation records what the safety policy decided (priority, route, who, indicators, evidence)."""

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation as escalation_actions
from actions.escalation import ActionEscalate
from actions.fallback import ActionNotUnderstood
from bot.escalation_flow import escalation_request
from bot.storage.escalations import EscalationStore


@pytest.fixture()
def store(database_url, monkeypatch):
    url = database_url
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    escalation_actions.escalation_store.cache_clear()
    yield EscalationStore(url)
    escalation_actions.escalation_store.cache_clear()


def decision(route="disclosure", priority=2, subject="self", indicators=("sexual_abuse",)):
    return {
        "route": route,
        "priority": priority,
        "subject": subject,
        "indicators": list(indicators),
        "evidence_message_ids": ["m-1"],
        "reasons": [],
    }


def tracker_after(text, safety, message_id="m-1", reference=None):
    user = {
        "event": "user",
        "text": text,
        "message_id": message_id,
        "input_channel": "rest",
        "parse_data": {"intent": {"name": "out_of_scope"}},
    }
    slots = {"safety": safety, "escalation_reference": reference}
    latest = {"text": text, "message_id": message_id}
    return Tracker("person-1", slots, latest, [user], False, None, {}, "action_listen")


def responses(dispatcher):
    return [m["response"] for m in dispatcher.messages]


async def test_the_reference_shown_is_the_one_committed_with_the_decision(store):
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(dispatcher, tracker_after("he made me", decision()), {})
    shown = next(
        m["reference"] for m in dispatcher.messages if m["response"] == "utter_escalation_reference"
    )
    [stored] = store.all_for("person-1")
    assert (stored.reference, stored.priority, stored.route) == (shown, 2, "disclosure")
    assert (stored.subject, stored.indicators, stored.evidence_message_ids) == (
        "self",
        ("sexual_abuse",),
        ("m-1",),
    )
    assert responses(dispatcher)[0] == "utter_disclosure_confidentiality"
    assert events == [SlotSet("escalation_reference", shown)]


async def test_about_someone_else_the_limits_of_confidentiality_say_so(store):
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(dispatcher, tracker_after("my mate", decision(subject="friend")), {})
    assert responses(dispatcher)[0] == "utter_confidentiality_other"
    assert store.all_for("person-1")[0].subject == "friend"


async def test_a_danger_escalation_goes_straight_to_the_reference(store):
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(
        dispatcher, tracker_after("hes outside", decision("danger", 1, indicators=("held",))), {}
    )
    assert responses(dispatcher)[0] == "utter_escalation_reference"
    assert store.all_for("person-1")[0].priority == 1


async def test_more_detail_at_the_same_priority_is_added_with_a_short_acknowledgement(store):
    first = CollectingDispatcher()
    [reference_set] = await ActionEscalate().run(first, tracker_after("a", decision()), {})
    later = CollectingDispatcher()
    tracker = tracker_after(
        "and he has pics", decision(indicators=("image_abuse",)), "m-2", reference_set["value"]
    )
    await ActionEscalate().run(later, tracker, {})
    assert responses(later) == ["utter_escalation_added"]
    assert later.messages[0]["reference"] == reference_set["value"]
    [stored] = store.all_for("person-1")
    assert stored.indicators == ("sexual_abuse", "image_abuse")


async def test_a_message_not_understood_while_the_escalation_is_open_is_added_for_the_duty_worker(
    store,
):
    [reference_set] = await ActionEscalate().run(
        CollectingDispatcher(), tracker_after("a", decision()), {}
    )
    reference = reference_set["value"]
    fragment = tracker_after("for pics and videos", decision(), "m-2", reference)
    added = CollectingDispatcher()
    await ActionNotUnderstood().run(added, fragment, {})
    assert responses(added) == ["utter_escalation_added"]
    assert added.messages[0]["reference"] == reference
    # once the duty team has closed it, nobody is waiting to read: the honest answer again
    store.close(reference, "worker-1", "signposted")
    closed = CollectingDispatcher()
    await ActionNotUnderstood().run(closed, fragment, {})
    assert responses(closed) == ["utter_not_understood"]


async def test_a_raised_priority_is_told_in_full(store):
    await ActionEscalate().run(CollectingDispatcher(), tracker_after("a", decision()), {})
    raised = CollectingDispatcher()
    await ActionEscalate().run(
        raised, tracker_after("hes here now", decision("danger", 1), "m-2"), {}
    )
    assert "utter_escalation_reference" in responses(raised)
    assert store.all_for("person-1")[0].priority == 1


async def test_no_reference_is_shown_when_the_database_cannot_commit(store):
    with store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE escalation_links"))
        connection.execute(sa.text("DROP TABLE escalations"))
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(dispatcher, tracker_after("he made me", decision()), {})
    assert responses(dispatcher) == ["utter_escalation_failed"]
    assert events == []


def test_a_concern_escalates_at_priority_3_only_because_the_person_asked():
    request = escalation_request(tracker_after("yes", decision("concern", None)).get_slot("safety"))
    assert (int(request.priority), request.route) == (3, "concern")


def test_without_a_recorded_decision_it_fails_towards_a_person():
    request = escalation_request(tracker_after("yes", None).get_slot("safety"))
    assert (int(request.priority), request.route) == (2, "disclosure")


@pytest.mark.parametrize(
    "route, priority, indicators, waits",
    [
        ("danger", 1, ("sexual_abuse", "now"), True),
        ("disclosure", 2, ("sexual_abuse",), True),
        ("self_harm", 2, ("self_harm",), True),
        # "I just took 20 pills", "I cut too deep": never kept from the duty team
        ("self_harm", 1, ("overdose",), False),
        ("self_harm", 1, ("injury", "self_harm"), False),
        # "i want to die": the urgent routes at once; the alert waits for "of embarrassment"
        ("self_harm", 1, ("suicidal",), True),
    ],
)
async def test_only_self_harm_being_done_skips_the_wait_for_a_follow_up(
    store, route, priority, indicators, waits
):
    await ActionEscalate().run(
        CollectingDispatcher(),
        tracker_after("one message", decision(route, priority, indicators=indicators)),
        {},
    )
    [stored] = store.all_for("person-1")
    assert (stored.reference not in {e.reference for e in store.queue()}) is waits


def test_whether_a_follow_up_may_take_it_back_is_read_from_the_slot_or_from_old_slots_evidence():
    assert escalation_request({**decision(), "raised_together": False}).raised_together is False
    assert escalation_request({**decision(), "raised_together": True}).raised_together is True
    # a slot an older server recorded: one message of evidence may be taken back, two may not
    assert escalation_request(decision()).raised_together is True
    two = {**decision(), "evidence_message_ids": ["m-0", "m-1"]}
    assert escalation_request(two).raised_together is False
