"""SMS records: inbound ids once, statuses never lost or moved back."""

import sqlalchemy as sa

from bot.storage.sms import SmsStore


def store(tmp_path) -> SmsStore:
    return SmsStore(f"sqlite:///{tmp_path / 'a.db'}")


def test_an_inbound_message_id_counts_once_even_from_a_new_store(tmp_path):
    assert store(tmp_path).first_delivery("SM1", "key-1", "sms-a")
    assert not store(tmp_path).first_delivery("SM1", "key-1", "sms-a")  # as after a restart


def test_a_status_callback_that_arrives_before_the_send_is_recorded_still_applies(tmp_path):
    s = store(tmp_path)
    [outbound] = s.plan_replies("sms-a", "SM1", [("hello", 1)])
    assert not s.update_status_by_sid("SM9", "delivered", None)  # early: not known yet
    s.record_sent(outbound, "SM9", "queued", 1)
    assert s.outbound_for("sms-a")[0].status == "delivered"


def test_a_final_status_is_never_moved_back(tmp_path):
    s = store(tmp_path)
    [outbound] = s.plan_replies("sms-a", "SM1", [("hello", 1)])
    s.record_sent(outbound, "SM9", "queued", 1)
    assert s.update_status_by_sid("SM9", "undelivered", 30003)
    assert s.update_status_by_sid("SM9", "sent", None)
    record = s.outbound_for("sms-a")[0]
    assert (record.status, record.error_code) == ("undelivered", 30003)


def test_forgetting_a_contact_removes_every_record_of_it(tmp_path):
    s = store(tmp_path)
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


def test_a_reply_is_planned_before_it_is_sent_and_started_once(tmp_path):
    s = store(tmp_path)
    first, _ = s.plan_replies("sms-a", "SM1", [("one", 1), ("two", 1)])
    assert [o.status for o in s.replies_to("SM1")] == ["planned", "planned"]
    assert s.start_sending(first) and not s.start_sending(first)  # never sent twice
    assert [o.status for o in s.replies_to("SM1")] == ["sending", "planned"]
    assert s.replies_to("SM2") == []
