import sqlite3

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.tracker_store import SQLiteTrackerStore


async def test_trackers_survive_a_new_store_on_the_same_file(tmp_path):
    db = tmp_path / "tracker.db"
    domain = Domain.empty()
    store = SQLiteTrackerStore(domain=domain, db=str(db))
    tracker = DialogueStateTracker("someone", slots=[])
    question = UserUttered("what is grooming", intent={"name": "ask_grooming", "confidence": 1.0})
    tracker.update(question)
    tracker.update(ActionExecuted("utter_grooming"))
    tracker.update(BotUttered("Grooming is ..."))
    await store.save(tracker)
    tracker.update(UserUttered("thanks", intent={"name": "thank", "confidence": 1.0}))
    await store.save(tracker)  # only the new event is appended

    reopened = SQLiteTrackerStore(domain=domain, db=str(db))
    restored = await reopened.retrieve("someone")
    texts = [e.text for e in restored.events if isinstance(e, UserUttered)]
    assert texts == ["what is grooming", "thanks"]
    assert await reopened.retrieve("nobody") is None

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] == 4
