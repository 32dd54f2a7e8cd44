"""SMS records: inbound ids once, statuses never lost or moved back."""

import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.storage.sms import SmsStore
from bot.storage.sms_inbound import LEASE, MAX_ATTEMPTS, RETRY_AFTER


def store(database_url: str) -> SmsStore:
    return SmsStore(database_url)


def test_an_inbound_message_id_counts_once_even_from_a_new_store(database_url):
    assert store(database_url).first_delivery("SM1", "key-1", "sms-a")
    assert not store(database_url).first_delivery("SM1", "key-1", "sms-a")  # as after a restart


def test_a_status_callback_that_arrives_before_the_send_is_recorded_still_applies(database_url):
    s = store(database_url)
    [outbound] = s.plan_replies("sms-a", "SM1", [("hello", 1)])
    assert not s.update_status_by_sid("SM9", "delivered", None)  # early: not known yet
    s.record_sent(outbound, "SM9", "queued", 1)
    assert s.outbound_for("sms-a")[0].status == "delivered"


def test_a_final_status_is_never_moved_back(database_url):
    s = store(database_url)
    [outbound] = s.plan_replies("sms-a", "SM1", [("hello", 1)])
    s.record_sent(outbound, "SM9", "queued", 1)
    assert s.update_status_by_sid("SM9", "undelivered", 30003)
    assert s.update_status_by_sid("SM9", "sent", None)
    record = s.outbound_for("sms-a")[0]
    assert (record.status, record.error_code) == ("undelivered", 30003)


def test_forgetting_a_contact_removes_every_record_of_it(database_url):
    s = store(database_url)
    s.remember_contact("sms-a", "token")
    s.first_delivery("SM1", "key-1", "sms-a")
    [outbound] = s.plan_replies("sms-a", "SM1", [("hello", 1)])
    s.record_sent(outbound, "SM9", "queued", 1)
    s.update_status_by_sid("SM9", "delivered", None)
    s.forget_contact("sms-a")
    assert s.contact("sms-a") is None and s.outbound_for("sms-a") == []
    # a replay stays refused: the id's keyed hash is kept after the message is forgotten
    assert not s.first_delivery("SM1", "key-1", "sms-a")
    assert s.pending() == []
    with s.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM sms_status_updates")).scalar() == 0


def test_a_reply_is_planned_before_it_is_sent_and_started_once(database_url):
    s = store(database_url)
    first, _ = s.plan_replies("sms-a", "SM1", [("one", 1), ("two", 1)])
    assert [o.status for o in s.replies_to("SM1")] == ["planned", "planned"]
    assert s.start_sending(first) and not s.start_sending(first)  # never sent twice
    assert [o.status for o in s.replies_to("SM1")] == ["sending", "planned"]
    assert s.replies_to("SM2") == []


def test_a_callback_racing_the_send_record_is_never_lost(database_url):
    """The send's record and its "delivered" callback at the same moment, from two stores.

    Under PostgreSQL's read-committed isolation each transaction can miss the other's row; the
    status must be "delivered" for every message whatever the interleaving.
    """
    sender, callbacks = SmsStore(database_url), SmsStore(database_url)
    planned = [sender.plan_replies(f"sms-{n}", f"SM{n}", [("hello", 1)])[0] for n in range(30)]

    def send(n: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        sender.record_sent(planned[n], f"SMOUT{n}", "queued", 1)

    def call_back(n: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        callbacks.update_status_by_sid(f"SMOUT{n}", "delivered", None)

    for n in range(30):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=job, args=(n, barrier)) for job in (send, call_back)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    statuses = [sender.outbound_for(f"sms-{n}")[0].status for n in range(30)]
    assert statuses == ["delivered"] * 30


def test_a_text_being_processed_is_left_to_its_worker_until_its_lease_runs_out(database_url):
    s = store(database_url)
    s.first_delivery("SM1", "key-1", "sms-a", "sealed")
    assert s.take_pending("this-server") == [("SM1", "sms-a", "sealed")]  # one worker takes it
    assert s.take_pending("this-server") == []  # another worker of the same server leaves it
    later = datetime.now(timezone.utc) + LEASE + timedelta(seconds=1)
    assert s.take_pending("this-server", now=later) == [("SM1", "sms-a", "sealed")]


def test_a_restarted_server_takes_what_the_stopped_one_left_and_only_once(database_url):
    s = store(database_url)
    for n in range(20):
        s.first_delivery(f"SM{n}", f"key-{n}", f"sms-{n}", f"sealed-{n}")
    assert len(s.take_pending("stopped")) == 20  # the server that stopped had taken them
    s.first_delivery("SMx", "key-x", "sms-x", "sealed-x")  # recorded by nobody in particular
    workers = [SmsStore(database_url) for _ in range(4)]
    barrier = threading.Barrier(len(workers))
    taken: list[tuple[str, str, str]] = []

    def recover(worker: SmsStore) -> None:
        barrier.wait()
        taken.extend(worker.take_pending("restarted"))

    threads = [threading.Thread(target=recover, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sid for sid, _, _ in taken) == sorted([f"SM{n}" for n in range(20)] + ["SMx"])
    s.mark_processed("SM0")
    assert "SM0" not in {sid for sid, _, _ in s.pending()}


def test_a_persons_texts_are_taken_one_at_a_time_in_the_order_they_came(database_url):
    s = store(database_url)
    for n in range(3):  # one person's three texts, and another person's text
        s.first_delivery(f"SMa{n}", f"key-a{n}", "sms-a", f"a{n}")
    s.first_delivery("SMb0", "key-b0", "sms-b", "b0")
    workers = [SmsStore(database_url) for _ in range(3)]
    order = []
    for _ in range(3):
        taken = [text for worker in workers for text in worker.take_pending("server")]
        assert [conversation for _, conversation, _ in taken].count("sms-a") == 1
        for message_sid, _, _ in taken:
            s.mark_processed(message_sid)
            order.append(message_sid)
    assert [sid for sid in order if sid.startswith("SMa")] == ["SMa0", "SMa1", "SMa2"]
    assert "SMb0" in order
    assert s.take_pending("server") == []


def test_a_text_whose_turn_keeps_failing_stops_holding_up_the_next_but_is_never_dropped(
    database_url,
):
    s = store(database_url)
    s.first_delivery("SMpoison", "key-p", "sms-a", "poison")
    s.first_delivery("SMnext", "key-n", "sms-a", "next")
    now = datetime.now(timezone.utc)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert [sid for sid, _, _ in s.take_pending("server", now=now)] == ["SMpoison"]
        s.release("SMpoison", now=now)  # its turn failed: tried again later, not at once
        after_failing = [sid for sid, _, _ in s.take_pending("server", now=now)]
        assert after_failing == (["SMnext"] if attempt == MAX_ATTEMPTS else [])
        now += RETRY_AFTER + timedelta(seconds=1)
    assert [sid for sid, _, _ in s.take_pending("server", now=now)] == ["SMpoison"]  # kept
