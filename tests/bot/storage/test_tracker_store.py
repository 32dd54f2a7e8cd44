"""Conversations survive a new store on the same database, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.database import conversations_url, create_engine
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
