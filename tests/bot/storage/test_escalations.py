import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.safety.routes import Priority
from bot.storage.escalation_records import FALSE_ALARM, WITHDRAWN, EscalationError, Opened
from bot.storage.escalations import EscalationStore
from bot.storage.held_conversations import HeldConversations
from bot.storage.migrations import MIGRATIONS, migrate


def store(database_url):
    return EscalationStore(database_url)


def test_migrations_apply_once_and_are_recorded(database_url):
    s = store(database_url)
    assert migrate(s.engine) == []  # already applied by the store
    with s.engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT version FROM schema_migrations")).all()
    assert sorted(versions) == [(v,) for v, _, _ in MIGRATIONS]
    assert [v for v, _, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_one_active_escalation_per_conversation_with_priority_raised(database_url):
    s = store(database_url)
    first, new = s.open(
        conversation_id="c",
        channel="rest",
        priority=Priority.CONCERN,
        route="concern",
        trigger_text="worried",
        subject="own_child",
        indicators=["missing"],
        evidence_message_ids=["m1"],
    )
    again, raised = s.open(
        conversation_id="c",
        channel="rest",
        priority=Priority.DANGER,
        route="danger",
        trigger_text="he is outside",
        subject="own_child",
        indicators=["missing", "present_threat"],
        evidence_message_ids=["m2"],
    )
    same, existing = s.open(
        conversation_id="c",
        channel="rest",
        priority=Priority.DISCLOSURE,
        route="disclosure",
        trigger_text="more",
    )
    assert (new, raised, existing) == (Opened.NEW, Opened.RAISED, Opened.EXISTING)
    assert again.reference == first.reference == same.reference
    assert (same.priority, same.route) == (1, "danger")
    assert same.indicators == ("missing", "present_threat")
    assert same.evidence_message_ids == ("m1", "m2")
    assert len(s.all_for("c")) == 1


def test_the_same_message_id_opens_nothing_new(database_url):
    s = store(database_url)
    args = dict(
        conversation_id="c",
        channel="sms",
        priority=Priority.DISCLOSURE,
        route="disclosure",
        trigger_text="x",
        trigger_message_id="SM123",
    )
    first, _ = s.open(**args)
    second, opened = s.open(**args)
    assert first == second and opened is Opened.EXISTING


def test_the_database_refuses_two_active_escalations_for_one_conversation(database_url):
    s = store(database_url)
    s.open(
        conversation_id="c",
        channel="rest",
        priority=Priority.DANGER,
        route="danger",
        trigger_text="x",
    )
    with pytest.raises(IntegrityError), s.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO escalations (reference, priority, route, channel, conversation_id,"
                " created_at, consent, status, trigger_text) VALUES"
                " ('AAAA-AAAA', 1, 'danger', 'rest', 'c', '2026-01-01', 'unknown', 'open', 'y')"
            )
        )


def test_links_record_the_later_conversation_only(database_url):
    s = store(database_url)
    escalation, _ = s.open(
        conversation_id="c1",
        channel="rest",
        priority=Priority.DISCLOSURE,
        route="disclosure",
        trigger_text="x",
    )
    assert s.link(escalation.reference, "c2") and s.link(escalation.reference, "c2")
    assert s.links_for(escalation.reference) == ["c2"]
    assert not s.link("ZZZZ-ZZZZ", "c3")


def claim_at_once(workers: dict[str, EscalationStore], reference: str) -> dict:
    """Have every worker claim ``reference`` at the same moment; return their results."""
    barrier = threading.Barrier(len(workers))
    results: dict[str, tuple[bool, str | None]] = {}

    def claim(name: str, worker: EscalationStore) -> None:
        barrier.wait()
        results[name] = worker.claim(reference, name)

    threads = [threading.Thread(target=claim, args=item) for item in workers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_workers_claiming_at_once_give_exactly_one_winner(database_url):
    s = store(database_url)
    workers = {name: EscalationStore(database_url) for name in ("ana", "ben")}
    for round_number in range(10):
        escalation, _ = s.open(
            conversation_id=f"c{round_number}",
            channel="webchat",
            priority=Priority.DISCLOSURE,
            route="disclosure",
            trigger_text="x",
        )
        results = claim_at_once(workers, escalation.reference)
        winners = [name for name, (won, _) in results.items() if won]
        assert len(winners) == 1
        assert {holder for _, holder in results.values()} == {winners[0]}
        assert s.active_for(f"c{round_number}").claimed_by == winners[0]


def open_one(s, conversation_id, priority=Priority.DISCLOSURE):
    escalation, _ = s.open(
        conversation_id=conversation_id,
        channel="webchat",
        priority=priority,
        route={1: "danger", 2: "disclosure", 3: "concern"}[priority],
        trigger_text="x",
    )
    return escalation


def test_the_queue_is_most_urgent_first_then_longest_waiting(database_url):
    s = store(database_url)
    first = open_one(s, "a")
    second = open_one(s, "b", Priority.CONCERN)
    urgent = open_one(s, "c", Priority.DANGER)
    later = open_one(s, "d")
    closed = open_one(s, "e", Priority.DANGER)
    s.close(closed.reference, "sam", "signposted")
    assert [e.reference for e in s.queue()] == [
        urgent.reference,
        first.reference,
        later.reference,
        second.reference,
    ]


def test_transfer_close_and_reopen_follow_who_holds_it(database_url):
    s = store(database_url)
    reference = open_one(s, "a").reference
    assert s.claim(reference, "sam") == (True, "sam")
    with pytest.raises(EscalationError):
        s.transfer(reference, "alex", "kim")  # only the holder transfers
    assert s.transfer(reference, "sam", "kim").claimed_by == "kim"
    with pytest.raises(EscalationError):
        s.close(reference, "sam", "signposted")  # kim holds it now
    with pytest.raises(EscalationError):
        s.close(reference, "kim", "made up")
    closed, was = s.close(reference, "kim", "police_informed")
    assert (closed.status, closed.outcome, closed.closed_by) == ("closed", "police_informed", "kim")
    assert was == "claimed"
    assert s.active_for("a") is None
    reopened = s.reopen(reference)
    assert (reopened.status, reopened.claimed_by, reopened.outcome) == ("open", None, None)


def test_a_false_alarm_is_an_outcome_and_outcomes_are_counted_since_a_date(database_url):
    from datetime import datetime, timedelta, timezone

    s = store(database_url)
    s.close(open_one(s, "a").reference, "sam", FALSE_ALARM)
    s.close(open_one(s, "b").reference, "sam", FALSE_ALARM)
    s.close(open_one(s, "c").reference, "sam", "referred_to_mash")
    open_one(s, "d")  # still open: not counted
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    assert s.outcome_counts(an_hour_ago) == {FALSE_ALARM: 2, "referred_to_mash": 1}
    assert s.outcome_counts(datetime.now(timezone.utc) + timedelta(hours=1)) == {}


def test_reopening_is_refused_while_the_conversation_has_another_open_escalation(database_url):
    s = store(database_url)
    old = open_one(s, "a").reference
    s.close(old, "sam", "lost_contact")
    open_one(s, "a")
    with pytest.raises(EscalationError):
        s.reopen(old)


def test_notes_are_kept_in_order_with_their_author(database_url):
    s = store(database_url)
    reference = open_one(s, "a").reference
    s.add_note(reference, "sam", "first")
    s.add_note(reference, "kim", "<b>second</b>")
    assert [(n.author, n.text) for n in s.notes(reference)] == [
        ("sam", "first"),
        ("kim", "<b>second</b>"),
    ]
    with pytest.raises(EscalationError):
        s.add_note("ZZZZ-ZZZZ", "sam", "nowhere")


def test_a_supervisor_can_close_or_move_what_someone_else_holds(database_url):
    s = store(database_url)
    reference = open_one(s, "a").reference
    s.claim(reference, "sam")
    assert s.transfer(reference, None, "kim").claimed_by == "kim"
    closed, was = s.close(reference, "lee", "lost_contact", override=True)
    assert (closed.status, closed.closed_by, was) == ("closed", "lee", "claimed")


def test_a_claim_goes_back_to_the_queue_only_while_its_holder_has_it(database_url):
    s = store(database_url)
    reference = open_one(s, "a").reference
    s.claim(reference, "sam")
    assert not s.release(reference, "kim")
    assert s.release(reference, "sam")
    again = s.get(reference)
    assert (again.status, again.claimed_by) == ("open", None)
    assert not s.release(reference, "sam")


def test_held_conversations_are_read_once_per_interval_and_again_after_a_change(database_url):
    s = store(database_url)
    reference = open_one(s, "a").reference
    held = HeldConversations(s, ttl=60)
    assert held.stale
    held.refresh()
    assert held.ids == set() and not held.stale
    s.claim(reference, "sam")
    assert not held.stale  # within the interval the earlier answer stands...
    held.changed()  # ...unless the console says it changed something
    assert held.stale
    held.refresh()
    assert held.ids == {"a"}
    s.close(reference, "sam", "signposted")
    held.changed()
    held.refresh()
    assert held.ids == set()


def open_alone(s, conversation_id="c", message_id="m1"):
    """Open an escalation raised by one message alone (it can still be taken back)."""
    return s.open(
        conversation_id=conversation_id,
        channel="rest",
        priority=Priority.DANGER,
        route="danger",
        trigger_text="a man is outside",
        trigger_message_id=message_id,
        evidence_message_ids=[message_id],
        withdrawable=True,
    )


def test_an_escalation_raised_by_one_message_waits_out_of_the_queue_and_can_be_withdrawn(
    database_url,
):
    s = EscalationStore(database_url, window=timedelta(minutes=5))
    escalation, opened = open_alone(s)
    assert opened is Opened.NEW and escalation.status == "open"
    assert s.queue() == []  # committed, reference shown, but no worker alarmed yet
    withdrawn = s.withdraw("c")
    assert withdrawn is not None and withdrawn.reference == escalation.reference
    assert (withdrawn.status, withdrawn.outcome) == ("closed", WITHDRAWN)
    # the same follow-up delivered twice gets the same answer; nothing else changes
    assert s.withdraw("c").reference == escalation.reference
    assert s.queue() == [] and len(s.all_for("c")) == 1


def test_more_evidence_queues_a_waiting_escalation_at_once_and_it_can_no_longer_be_withdrawn(
    database_url,
):
    s = EscalationStore(database_url, window=timedelta(minutes=5))
    escalation, _ = open_alone(s)
    s.open(
        conversation_id="c",
        channel="rest",
        priority=Priority.DANGER,
        route="danger",
        trigger_text="he has a knife",
        trigger_message_id="m2",
        evidence_message_ids=["m1", "m2"],
    )
    assert [e.reference for e in s.queue()] == [escalation.reference]
    assert s.withdraw("c") is None
    assert s.get(escalation.reference).status == "open"


def test_once_the_window_has_passed_or_a_worker_holds_it_an_escalation_is_not_withdrawn(
    database_url,
):
    passed = EscalationStore(database_url, window=timedelta(0))
    escalation, _ = open_alone(passed)
    assert [e.reference for e in passed.queue()] == [escalation.reference]
    assert passed.withdraw("c") is None
    waiting = EscalationStore(database_url, window=timedelta(minutes=5))
    claimed, _ = open_alone(waiting, "d", "m9")
    assert waiting.claim(claimed.reference, "sam")[0]  # quoted to a worker before the window ends
    assert waiting.withdraw("d") is None
    assert waiting.get(claimed.reference).status == "claimed"


def test_a_quiet_worker_reminder_is_given_once_per_message_however_many_processes_check(
    database_url,
):
    s = store(database_url)
    reference = open_one(s, "c").reference
    processes = [EscalationStore(database_url) for _ in range(4)]
    barrier = threading.Barrier(len(processes))
    told: list[bool] = []

    def check(process: EscalationStore) -> None:
        barrier.wait()
        told.append(process.mark_reminded(reference, 1000.0))

    threads = [threading.Thread(target=check, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(told) == [False, False, False, True]
    assert not s.mark_reminded(reference, 1000.0)
    assert s.mark_reminded(reference, 1060.0)  # a later unanswered message: told again
