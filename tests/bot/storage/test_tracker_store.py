"""Conversations survive a new store on the same database and are kept in memory only while the
database agrees, on SQLite and PostgreSQL."""

import json
import time

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.storage.database import conversations_url, create_engine
from bot.storage.retention import forget_conversations
from bot.storage.tracker_store import AssistantTrackerStore


async def test_trackers_survive_a_new_store_on_the_same_database(database_url):
    domain = Domain.empty()
    store = AssistantTrackerStore(domain=domain, host=database_url)
    tracker = DialogueStateTracker("someone", slots=[])
    question = UserUttered("what is grooming", intent={"name": "ask_grooming", "confidence": 1.0})
    tracker.update(question)
    tracker.update(ActionExecuted("utter_grooming"))
    tracker.update(BotUttered("Grooming is ..."))
    await store.save(tracker)
    tracker.update(UserUttered("thanks", intent={"name": "thank", "confidence": 1.0}))
    await store.save(tracker)  # only the new event is appended

    reopened = AssistantTrackerStore(domain=domain, host=database_url)
    restored = await reopened.retrieve("someone")
    texts = [e.text for e in restored.events if isinstance(e, UserUttered)]
    assert texts == ["what is grooming", "thanks"]
    assert await reopened.retrieve("nobody") is None
    # one engine per database in a process: the store shares the assistant's pool
    assert reopened.engine is create_engine(database_url)
    with reopened.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 4
        if database_url.startswith("sqlite"):
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_conversations_go_beside_the_assistants_database(tmp_path):
    server = "postgresql://bot@127.0.0.1:5432/assistant"
    assert conversations_url(server, tmp_path / "tracker.db") == server
    sqlite = f"sqlite:///{tmp_path / 'assistant.db'}"
    assert conversations_url(sqlite, tmp_path / "t.db") == f"sqlite:///{tmp_path / 't.db'}"


def _turn(tracker: DialogueStateTracker, number: int) -> None:
    """Add one user message and the bot's answer to ``tracker``."""
    tracker.update(UserUttered(f"message {number}", intent={"name": "ask", "confidence": 1.0}))
    tracker.update(SlotSet("turns", number))
    tracker.update(ActionExecuted("utter_answer"))
    tracker.update(BotUttered(f"answer {number}"))
    tracker.update(ActionExecuted("action_listen"))


async def _one_turn(store: AssistantTrackerStore, sender: str, number: int) -> None:
    """Read the conversation, add a turn to it and save it, as a server's turn does."""
    tracker = await store.get_or_create_tracker(sender)
    _turn(tracker, number)
    await store.save(tracker)


def _domain() -> Domain:
    return Domain.from_dict({"slots": {"turns": {"type": "any", "mappings": [{"type": "custom"}]}}})


async def test_a_kept_conversation_is_the_same_as_one_read_whole(database_url):
    domain = _domain()
    store = AssistantTrackerStore(domain=domain, host=database_url)
    for number in range(12):
        await _one_turn(store, "long", number)
    assert store.kept == (1, 1 + 11 * 5)  # as read at the start of the last turn
    kept = await store.retrieve("long")
    whole = await AssistantTrackerStore(domain=domain, host=database_url).retrieve("long")
    assert kept.current_state(EventVerbosity.ALL) == whole.current_state(EventVerbosity.ALL)
    assert kept.get_slot("turns") == 11
    assert len(kept.events) == 1 + 12 * 5


async def test_rows_another_process_wrote_are_read(database_url):
    domain = _domain()
    here = AssistantTrackerStore(domain=domain, host=database_url)
    there = AssistantTrackerStore(domain=domain, host=database_url)
    for number in range(6):
        store = here if number % 2 else there
        await _one_turn(store, "shared", number)
    for store in (here, there):
        tracker = await store.retrieve("shared")
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
            f"message {n}" for n in range(6)
        ]


async def test_a_deleted_conversation_is_not_brought_back_from_memory(database_url):
    domain = _domain()
    store = AssistantTrackerStore(domain=domain, host=database_url)
    await _one_turn(store, "forgotten", 1)
    assert await store.retrieve("forgotten") is not None  # kept in memory now

    forget_conversations(store.engine, create_engine(database_url), ["forgotten"])

    assert await store.retrieve("forgotten") is None
    await _one_turn(store, "forgotten", 2)
    with store.engine.connect() as connection:
        texts = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = 'forgotten'")
        ).scalars()
        assert not any("message 1" in text for text in texts)


async def test_a_new_session_starts_from_its_own_events(database_url):
    domain = _domain()
    store = AssistantTrackerStore(domain=domain, host=database_url)
    await _one_turn(store, "returning", 1)
    await store.retrieve("returning")
    tracker = await store.retrieve("returning")
    time.sleep(0.01)  # Rasa tells sessions apart by the time they started
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    _turn(tracker, 2)
    await store.save(tracker)

    resumed = await store.retrieve("returning")
    texts = [e.text for e in resumed.events if isinstance(e, UserUttered)]
    assert texts == ["message 2"]


async def test_the_kept_events_are_bounded(database_url):
    store = AssistantTrackerStore(domain=_domain(), host=database_url, kept_events=20)
    for number in range(7):
        await _one_turn(store, f"person {number}", number)
        await store.retrieve(f"person {number}")
    assert store.kept == (3, 18)  # each conversation has 6 events: 3 fit
    assert (await store.retrieve("person 0")).get_slot("turns") == 0  # read again from rows


async def test_a_conversation_moved_in_time_is_read_again(database_url):
    store = AssistantTrackerStore(domain=_domain(), host=database_url)
    await _one_turn(store, "moved", 1)
    before = (await store.retrieve("moved")).events[-1].timestamp

    with store.engine.begin() as connection:  # as tests make an hour pass, or an operator's fix
        for row_id, data in connection.execute(
            sa.text("SELECT id, data FROM events WHERE sender_id = 'moved'")
        ).all():
            event = json.loads(data)
            event["timestamp"] -= 7200
            connection.execute(
                sa.text("UPDATE events SET timestamp = :t, data = :d WHERE id = :i"),
                {"t": event["timestamp"], "d": json.dumps(event), "i": row_id},
            )

    assert (await store.retrieve("moved")).events[-1].timestamp == before - 7200
