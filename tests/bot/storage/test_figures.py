"""Figure events are written with the change they count, once, and hold nothing that identifies.

On SQLite and PostgreSQL. The purge and requests to delete never change them.
"""

from __future__ import annotations

import time
from dataclasses import astuple
from datetime import date, timedelta

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.figures.events import FigureEvent, Measure
from bot.safety.routes import Priority
from bot.storage.escalation_records import FALSE_ALARM
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.figures import FigureStore
from bot.storage.retention import purge_conversations
from bot.storage.sms import SmsStore
from bot.storage.tracker_store import AssistantTrackerStore

SECRET_CONVERSATION = "conversation-7f3a9"
SECRET_TEXT = "he made me send pictures at the bus station"


def all_events(url: str) -> list[FigureEvent]:
    today = date.today()
    return FigureStore(url).between(today - timedelta(days=400), today + timedelta(days=2))


def measures(url: str) -> list[str]:
    return sorted(e.measure.value for e in all_events(url))


def open_one(store: EscalationStore, conversation: str = SECRET_CONVERSATION, **values):
    escalation, _ = store.open(
        conversation_id=conversation,
        channel="webchat",
        priority=values.pop("priority", Priority.DISCLOSURE),
        route=values.pop("route", "disclosure"),
        trigger_text=SECRET_TEXT,
        trigger_message_id=f"{conversation}-m1",
        subject="self",
        indicators=["met_online", "image_request"],
        **values,
    )
    return escalation


def test_an_escalations_life_is_counted_once_at_each_step(database_url):
    store = EscalationStore(database_url)
    escalation = open_one(store)
    open_one(store)  # the same message again: the same escalation, not counted twice
    assert measures(database_url) == ["escalation"]
    assert store.claim(escalation.reference, "amy") == (True, "amy")
    assert store.claim(escalation.reference, "ben") == (False, "amy")
    assert store.release(escalation.reference, "amy")
    assert store.claim(escalation.reference, "ben") == (True, "ben")  # not its first claim
    store.close(escalation.reference, "ben", FALSE_ALARM)
    store.reopen(escalation.reference)
    assert measures(database_url) == [
        "escalation",
        "escalation_claimed",
        "escalation_closed",
        "escalation_released",
        "escalation_reopened",
    ]
    by_measure = {e.measure: e for e in all_events(database_url)}
    raised = by_measure[Measure.ESCALATION]
    assert (raised.priority, raised.route, raised.item, raised.subject, raised.channel) == (
        2,
        "disclosure",
        "online",
        "self",
        "webchat",
    )
    assert raised.staffed in ("yes", "no")
    closed = by_measure[Measure.ESCALATION_CLOSED]
    assert closed.outcome == FALSE_ALARM and 0 <= closed.seconds < 60
    assert 0 <= by_measure[Measure.ESCALATION_CLAIMED].seconds < 60


def test_an_escalation_taken_back_by_the_next_message_is_counted_as_withdrawn(database_url):
    store = EscalationStore(database_url, window=timedelta(minutes=5))
    open_one(store, withdrawable=True)
    assert store.withdraw(SECRET_CONVERSATION) is not None
    assert store.withdraw(SECRET_CONVERSATION) is not None  # delivered twice: counted once
    closes = [e for e in all_events(database_url) if e.measure is Measure.ESCALATION_CLOSED]
    assert [e.outcome for e in closes] == ["withdrawn_by_person"]


def test_quick_exits_opt_outs_and_failed_texts_are_counted_once_each(database_url):
    exits = ExitStore(database_url)
    exits.mark_exited("web-1")
    exits.mark_exited("web-1")  # pressed again: the same person leaving
    sms = SmsStore(engine=exits.engine)
    sms.remember_contact("sms-1", "encrypted")
    sms.set_opted_out("sms-1", True)
    sms.set_opted_out("sms-1", True)
    sms.set_opted_out("sms-1", False)
    sms.set_opted_out("sms-1", True)  # STOP, START, STOP: two opt-outs
    first, second = sms.plan_replies("sms-1", "SM1", [("a", 1), ("b", 1)])
    sms.record_failed(first, "sms-1", 21211, 3, opted_out=False)
    sms.record_sent(second, "SMx", "queued", 1)
    assert sms.update_status_by_sid("SMx", "undelivered", 30003)
    assert sms.update_status_by_sid("SMx", "failed", 30003)  # still one failed text
    assert measures(database_url) == [
        "quick_exit",
        "sms_failed",
        "sms_failed",
        "sms_opt_out",
        "sms_opt_out",
    ]


async def test_nothing_that_identifies_reaches_the_figures_and_the_purge_changes_none(
    database_url,
):
    tracker_store = AssistantTrackerStore(
        domain=Domain.empty(), host=database_url, figures_url=database_url
    )
    escalations = EscalationStore(database_url)
    old = time.time() - 40 * 86400
    for sender, when in ((SECRET_CONVERSATION, old), ("recent", time.time())):
        tracker = DialogueStateTracker(sender, slots=[])
        tracker.update(SessionStarted(timestamp=when))
        tracker.update(UserUttered(SECRET_TEXT, input_channel="webchat", timestamp=when))
        await tracker_store.save(tracker)
    escalation = open_one(escalations, "recent")
    escalations.claim(escalation.reference, "amy-the-worker")
    escalations.close(escalation.reference, "amy-the-worker", "signposted")
    before = all_events(database_url)
    assert sorted(e.measure.value for e in before).count("conversation") == 2

    with escalations.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT * FROM figure_events")).all()
    written = " ".join(str(value) for row in stored for value in row)
    for secret in (SECRET_CONVERSATION, "recent", SECRET_TEXT, escalation.reference, "amy"):
        assert secret not in written

    assert purge_conversations(tracker_store.engine, escalations) == 1
    assert await tracker_store.retrieve(SECRET_CONVERSATION) is None
    assert sorted(map(astuple, all_events(database_url))) == sorted(map(astuple, before))


async def test_a_turn_is_saved_even_when_its_figures_cannot_be(database_url, caplog):
    tracker_store = AssistantTrackerStore(
        domain=Domain.empty(), host=database_url, figures_url=database_url
    )
    with tracker_store.figures.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE figure_events"))
    tracker = DialogueStateTracker("someone", slots=[])
    tracker.update(UserUttered("hello", input_channel="webchat"))
    await tracker_store.save(tracker)
    assert await tracker_store.retrieve("someone") is not None
    assert "could not count a turn in the figures" in caplog.text
