"""The reference is shown only after the escalation is committed to a real database."""

import sqlite3

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation as escalation_actions
from actions.escalation import ActionEscalate, triggering_message
from bot.storage.escalations import EscalationStore


@pytest.fixture()
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    escalation_actions.escalation_store.cache_clear()
    yield EscalationStore(url)
    escalation_actions.escalation_store.cache_clear()


def tracker_after(text, route):
    user = {
        "event": "user",
        "text": text,
        "message_id": "m-1",
        "input_channel": "rest",
        "parse_data": {"intent": {"name": "disclose_abuse"}, "safety": {"route": route}},
    }
    return Tracker("person-1", {}, {"text": text}, [user], False, None, {}, "action_listen")


async def test_the_reference_shown_is_the_one_committed(store):
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(dispatcher, tracker_after("he made me", "disclosure"), {})
    shown = next(
        m["reference"] for m in dispatcher.messages if m["response"] == "utter_escalation_reference"
    )
    [stored] = store.all_for("person-1")
    assert stored.reference == shown and stored.priority == 2
    assert events == [SlotSet("escalation_reference", shown)]


async def test_no_reference_is_shown_when_the_database_cannot_commit(store, tmp_path):
    with sqlite3.connect(tmp_path / "assistant.db") as connection:
        connection.execute("DROP TABLE escalation_links")
        connection.execute("DROP TABLE escalations")
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(dispatcher, tracker_after("he made me", "disclosure"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_escalation_failed"]
    assert events == []


def test_a_confirmed_check_escalates_as_a_disclosure():
    priority, route, event = triggering_message(tracker_after("is it my fault", "check"))
    assert (int(priority), route, event["text"]) == (2, "disclosure", "is it my fault")
