"""Conversations without a safety concern are deleted 30 days after their last message
(SQLite and PostgreSQL; on PostgreSQL the conversations share the assistant's database)."""

import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.routes import Priority
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.retention import purge_conversations
from bot.storage.sms import SmsStore
from bot.storage.tracker_store import AssistantTrackerStore

DAY = 86400


async def save(store, sender, age_days):
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered("hello", timestamp=time.time() - age_days * DAY))
    await store.save(tracker)


async def test_only_idle_conversations_without_escalations_are_deleted(database_url):
    store = AssistantTrackerStore(domain=Domain.empty(), host=database_url)
    escalations = EscalationStore(database_url)
    await save(store, "old-question", 31)
    await save(store, "recent-question", 5)
    await save(store, "old-disclosure", 40)
    await save(store, "old-quoted-a-reference", 40)
    escalation, _ = escalations.open(
        conversation_id="old-disclosure",
        channel="rest",
        priority=Priority.DISCLOSURE,
        route="disclosure",
        trigger_text="x",
    )
    escalations.link(escalation.reference, "old-quoted-a-reference")
    exits = ExitStore(engine=escalations.engine)
    exits.mark_exited("old-question")
    exits.mark_exited("recent-question")
    sms = SmsStore(engine=escalations.engine)
    for texter in ("old-question", "old-disclosure"):
        sms.remember_contact(texter, "encrypted-number")

    assert purge_conversations(store.engine, escalations) == 1
    assert exits.exited_at("old-question") is None
    assert exits.exited_at("recent-question") is not None
    assert sms.contact("old-question") is None
    assert sms.contact("old-disclosure") is not None
    assert await store.retrieve("old-question") is None
    for kept in ("recent-question", "old-disclosure", "old-quoted-a-reference"):
        assert await store.retrieve(kept) is not None, kept
    assert purge_conversations(store.engine, escalations) == 0
    # the same rule answers for one conversation (a request to delete)
    assert escalations.conversations_to_keep(["old-disclosure", "recent-question"]) == {
        "old-disclosure"
    }
    assert escalations.conversations_to_keep(["old-quoted-a-reference"]) == {
        "old-quoted-a-reference"
    }
