"""The SMS channel against a fake Twilio REST server on loopback, with signed webhooks."""

from __future__ import annotations

import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.phone_numbers import PhoneVault
from bot.cli import main
from bot.fake_twilio import post_signed, sign
from bot.paths import PROJECT_ROOT
from bot.runner import RunSettings, environment, free_port, running_assistant
from bot.sms_encoding import MAX_SMS_CHARACTERS, count_segments
from bot.storage.escalations import EscalationStore
from bot.storage.sms import SmsStore
from tests.e2e.conftest import SMS_KEY, report_timings, sms_environment
from tests.e2e.texter import NUMBERS, SIDS, Texter, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture()
def texter(assistant, fake_twilio) -> Texter:
    return Texter(assistant.sms_webhook, fake_twilio, next(NUMBERS))


@pytest.fixture(scope="session")
def vault(assistant) -> PhoneVault:
    return PhoneVault(SMS_KEY)


@pytest.fixture(scope="session")
def sms_store(assistant) -> SmsStore:
    return SmsStore(assistant.database_url)


def sms_text(catalogue, item_id: str) -> str:
    return catalogue.text(item_id, "en", None, "sms")


def said(texts: list[str] | str) -> str:
    """The words of one or more texts, however they were split into messages."""
    return " ".join(" ".join([texts] if isinstance(texts, str) else texts).split())


def test_a_signed_text_gets_the_sms_wording(texter, catalogue):
    replies = texter.text_and_wait("what is grooming")
    # the turn's replies go as one text: the draft notice, then the answer
    notice = sms_text(catalogue, "utter_draft_content_notice")
    assert said(replies).startswith(said([notice, sms_text(catalogue, "utter_grooming")]))


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_unsigned_or_wrongly_signed_posts_are_refused_and_not_processed(
    texter, sms_store, vault, signature
):
    fields = {"MessageSid": next(SIDS), "From": texter.number, "Body": "hello"}
    assert post_signed(texter.webhook, fields, signature=signature) == 403
    # signed for another URL (a forged host) is wrong too
    assert (
        post_signed(texter.webhook, fields, signature=sign("https://evil.example/", fields)) == 403
    )
    time.sleep(1.0)
    assert texter.replies() == []
    assert sms_store.contact(vault.conversation_id(texter.number)) is None


def test_the_same_message_sid_twice_gives_one_reply_and_one_escalation(
    texter, vault, assistant, catalogue
):
    sid = next(SIDS)
    texter.text("my uncle touches me and says its our secret", sid=sid)
    wait_until(lambda: len(texter.replies()) >= 2)
    time.sleep(0.5)
    first = list(texter.replies())
    texter.text("my uncle touches me and says its our secret", sid=sid)
    time.sleep(1.5)
    assert texter.replies() == first
    conversation_id = vault.conversation_id(texter.number)
    escalations = EscalationStore(assistant.database_url).all_for(conversation_id)
    assert len(escalations) == 1 and escalations[0].channel == "sms"
    assert escalations[0].reference in "\n".join(first)


def test_a_retry_after_a_restart_is_ignored_and_a_pending_text_is_answered(
    assistant, fake_twilio, trained_model, tmp_path, texter, vault
):
    sid = texter.text("hello")
    wait_until(lambda: texter.replies())
    time.sleep(0.5)
    sent = len(texter.replies())
    restarted = RunSettings(
        rasa_port=free_port(),
        actions_port=free_port(),
        model=trained_model,
        tracker_db=assistant.tracker_db_path,
        database_url=assistant.database_url,
    )
    env = sms_environment(restarted, fake_twilio, assistant.tracker_db_path.parent)
    # a text acknowledged just before a crash, never processed: the restart must answer it
    store = SmsStore(assistant.database_url)
    sealed = vault.seal(json.dumps({"from": texter.number, "body": "what is grooming"}))
    sid = next(SIDS)
    store.first_delivery(sid, vault.message_key(sid), vault.conversation_id(texter.number), sealed)
    # another, whose turn ran and whose replies were being sent at the crash: one went, one was
    # being sent (it may have gone: never again), one was still to go
    other = Texter(texter.webhook, fake_twilio, next(NUMBERS))
    other_id = vault.conversation_id(other.number)
    other_sid = next(SIDS)
    other_sealed = vault.seal(json.dumps({"from": other.number, "body": "what is grooming"}))
    store.first_delivery(other_sid, vault.message_key(other_sid), other_id, other_sealed)
    went, caught, _ = store.plan_replies(
        other_id, other_sid, [("went", 1), ("caught", 1), ("still to go", 1)]
    )
    store.record_sent(went, "SM" + "f" * 32, "queued", 1)
    assert store.start_sending(caught)
    with environment(env), running_assistant(restarted):
        assert wait_until(lambda: len(texter.replies()) > sent)
        assert wait_until(lambda: store.pending() == [])
        assert other.replies() == ["still to go"]  # the turn was not run, nor any text resent
        assert [o.status for o in store.outbound_for(other_id)][1] == "interrupted"
        sent = len(texter.replies())
        again = Texter(env["BOT_SMS_PUBLIC_URL"], fake_twilio, texter.number)
        again.text("hello", sid=sid)
        time.sleep(1.5)
        assert len(texter.replies()) == sent
        # and a new message is answered by the restarted server, in the same conversation
        assert again.text_and_wait("what is grooming")


def test_a_500_from_twilio_is_retried_and_then_succeeds(texter, fake_twilio, sms_store, vault):
    fake_twilio.fail_next_with_500 = 1
    assert texter.text_and_wait("hello")
    records = sms_store.outbound_for(vault.conversation_id(texter.number))
    assert any(r.attempts == 2 and r.twilio_sid for r in records)
    assert all(r.status != "failed" for r in records)


def test_an_opted_out_number_21610_is_recorded_and_visible(
    texter, fake_twilio, sms_store, vault, assistant, capsys
):
    fake_twilio.rejected[texter.number] = 21610
    texter.text("hello")
    conversation_id = vault.conversation_id(texter.number)
    failed = wait_until(
        lambda: [r for r in sms_store.outbound_for(conversation_id) if r.status == "failed"]
    )
    assert failed and failed[0].error_code == 21610
    assert sms_store.contact(conversation_id).opted_out
    # staff can see it, with the number masked
    with environment({"BOT_DATABASE_URL": assistant.database_url, "BOT_SMS_KEY": SMS_KEY.decode()}):
        assert main(["sms", "problems"]) == 0
    shown = capsys.readouterr().out
    line = next(line for line in shown.splitlines() if line.startswith(conversation_id))
    assert "opted out" in line and f"••• {texter.number[-3:]}" in line
    assert "Twilio error 21610" in shown and texter.number.lstrip("+") not in shown


def test_status_callbacks_are_signed_and_recorded(texter, sms_store, vault, assistant):
    texter.text_and_wait("hello")
    conversation_id = vault.conversation_id(texter.number)
    delivered = wait_until(
        lambda: [r for r in sms_store.outbound_for(conversation_id) if r.status == "delivered"]
    )
    assert delivered
    status_url = f"{assistant.rasa_url}/webhooks/sms/status"
    forged = {"MessageSid": delivered[0].twilio_sid, "MessageStatus": "failed"}
    assert post_signed(status_url, forged, signature="") == 403
    assert sms_store.outbound_for(conversation_id)[0].status == "delivered"


@pytest.mark.parametrize("body", ["x" * 2000, "😀" * 400, "word " * 400, None, ""])
def test_long_emoji_and_empty_texts_get_replies_within_limits(texter, body):
    replies = texter.text_and_wait(body)
    for reply in replies:
        assert 0 < len(reply) <= MAX_SMS_CHARACTERS
        assert count_segments(reply).segments <= 3


def test_quick_replies_are_numbered_and_a_number_picks_one(texter, catalogue):
    replies = texter.text_and_wait("what is cse")
    prompt = sms_text(catalogue, "label_sms_reply_with_number")
    assert f"{prompt} 1 Grooming 2 " in said(replies)
    reply = texter.text_and_wait("1")
    assert said(reply).startswith(said(sms_text(catalogue, "utter_grooming")))


def test_stop_start_help(texter, sms_store, vault, catalogue):
    texter.text_and_wait("hello")
    conversation_id = vault.conversation_id(texter.number)
    before = len(texter.replies())
    texter.text("STOP")
    assert wait_until(lambda: sms_store.contact(conversation_id).opted_out)
    texter.text("what is grooming")
    time.sleep(1.5)
    assert len(texter.replies()) == before  # nothing is sent after an opt-out
    assert wait_until(
        lambda: [r for r in sms_store.outbound_for(conversation_id) if r.status == "not_sent"]
    )
    assert texter.text_and_wait("START") == [sms_text(catalogue, "utter_sms_opted_in")]
    assert not sms_store.contact(conversation_id).opted_out
    assert texter.text_and_wait("help") == [sms_text(catalogue, "utter_sms_help")]


def tracker_events(assistant, conversation_id: str) -> int:
    with sqlite3.connect(assistant.tracker_db_path) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation_id,)
        ).fetchone()[0]


def test_delete_erases_a_conversation_without_an_escalation(
    texter, sms_store, vault, catalogue, assistant
):
    texter.text_and_wait("what is grooming")
    conversation_id = vault.conversation_id(texter.number)
    assert tracker_events(assistant, conversation_id) > 0
    assert texter.text_and_wait("DELETE") == [sms_text(catalogue, "utter_sms_deleted")]
    assert wait_until(lambda: sms_store.contact(conversation_id) is None)
    assert tracker_events(assistant, conversation_id) == 0
    assert sms_store.outbound_for(conversation_id) == []


def test_delete_keeps_a_conversation_with_an_open_escalation_and_says_so(
    texter, sms_store, vault, catalogue, assistant
):
    texter.text_and_wait("my uncle touches me and says its our secret", count=2)
    conversation_id = vault.conversation_id(texter.number)
    assert texter.text_and_wait("DELETE") == [sms_text(catalogue, "utter_sms_delete_kept")]
    assert sms_store.contact(conversation_id) is not None
    assert tracker_events(assistant, conversation_id) > 0


def test_whatsapp_numbers_work_through_the_same_channel(assistant, fake_twilio):
    whatsapp = Texter(assistant.sms_webhook, fake_twilio, f"whatsapp:{next(NUMBERS)}")
    assert whatsapp.text_and_wait("hello")
    with fake_twilio.lock:
        sent = [m for m in fake_twilio.messages if m["To"] == whatsapp.number]
    assert sent and sent[0]["From"].startswith("whatsapp:")


def test_no_phone_number_appears_in_any_log_or_database(texter, assistant, capfd, vault, sms_store):
    texter.text_and_wait("my uncle touches me and says its our secret", count=2)
    texter.text_and_wait("DELETE")
    conversation_id = vault.conversation_id(texter.number)
    texter.text("STOP")  # logged, by conversation id
    assert wait_until(lambda: sms_store.contact(conversation_id).opted_out)
    time.sleep(0.3)
    log = assistant.log_file.read_text(encoding="utf-8", errors="replace")
    assert conversation_id in log  # the servers' log is where we look
    digits = texter.number.lstrip("+")
    assert digits not in log
    for database in assistant.tracker_db_path.parent.glob("*.db*"):
        assert digits.encode() not in database.read_bytes(), database


ACK_REPORT = PROJECT_ROOT / "build" / "sms-ack.json"


def test_webhooks_are_acknowledged_fast_under_load(assistant, fake_twilio):
    """Report (not assert) the webhook acknowledgement time with 20 senders at once."""
    webhook = assistant.sms_webhook
    texters = [Texter(webhook, fake_twilio, next(NUMBERS)) for _ in range(20)]

    def post_timed(texter: Texter) -> float:
        fields = {"MessageSid": next(SIDS), "From": texter.number, "Body": "hello"}
        started = time.perf_counter()
        assert post_signed(webhook, fields) == 200
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(max_workers=20) as pool:
        timings = list(pool.map(post_timed, texters * 10))
    assert len(timings) == 200
    report_timings(ACK_REPORT, "SMS webhook acknowledgement", timings, concurrent_senders=20)
    # every one of them is answered in the end
    assert wait_until(lambda: all(t.replies() for t in texters), timeout=120)


def test_a_disclosure_by_sms_asks_whether_it_is_safe_to_text_and_records_the_answer(
    texter, vault, sms_store, assistant, catalogue
):
    replies = texter.text_and_wait("my uncle touches me and says its our secret", count=2)
    conversation_id = vault.conversation_id(texter.number)
    escalation = EscalationStore(assistant.database_url).all_for(conversation_id)[0]
    assert escalation.reference in "\n".join(replies)
    assert replies[-1] == sms_text(catalogue, "utter_sms_safe_to_text_question")
    assert sms_store.contact(conversation_id).safe_to_text is None
    assert texter.text_and_wait("2") == [sms_text(catalogue, "utter_sms_safe_to_text_no")]
    assert sms_store.contact(conversation_id).safe_to_text is False
    # asked once only
    later = texter.text_and_wait("what is grooming")
    assert sms_text(catalogue, "utter_sms_safe_to_text_question") not in later


def test_a_signed_webhook_split_differently_is_not_a_new_message(texter):
    fields = {"Body": "hello", "From": texter.number, "MessageSid": next(SIDS), "To": "+44770090"}
    assert post_signed(texter.webhook, fields) == 200
    texter.wait_for_texts(0)
    before = len(texter.replies())
    signature = sign(texter.webhook, fields)
    # the signature covers keys and values run together: move "To" into the MessageSid
    resplit = {k: v for k, v in fields.items() if k != "To"}
    resplit["MessageSid"] = fields["MessageSid"] + "To" + fields["To"]
    assert sign(texter.webhook, resplit) == signature  # Twilio's check cannot tell them apart
    assert post_signed(texter.webhook, resplit, signature=signature) == 400
    time.sleep(1.0)
    assert len(texter.replies()) == before


def test_an_exact_replay_after_delete_is_still_ignored(texter, catalogue):
    sid = texter.text("what is grooming")
    texter.wait_for_texts(0)
    texter.text_and_wait("DELETE")
    before = len(texter.replies())
    texter.text("what is grooming", sid=sid)  # the same signed webhook again
    time.sleep(1.5)
    assert len(texter.replies()) == before


def welsh_sms(catalogue, item_id: str, audience: str | None = None) -> str:
    return catalogue.text(item_id, "cy", audience, "sms")


def test_a_conversation_in_welsh_by_text_gets_every_word_in_welsh(texter, catalogue, vault):
    """Against the fake Twilio: Welsh in, Welsh out, the channel's own words included."""
    assert texter.text_and_wait("CYMORTH") == [welsh_sms(catalogue, "utter_sms_help")]
    switched = said(texter.text_and_wait("sut mae, dw i eisiau siarad yn gymraeg"))
    # the numbered options' prompt is the channel's own: it follows the conversation into Welsh
    assert said(welsh_sms(catalogue, "label_sms_reply_with_number")) in switched
    disclosure = (
        "mae dyn hŷn o snap yn gwneud i fi anfon lluniau noeth ac yn dweud mod i mewn dyled iddo"
    )
    texts = said(texter.text_and_wait(disclosure, count=2))
    believe = welsh_sms(catalogue, "utter_disclosure_believe", "young_person")
    assert said(believe)[:40] in texts
    question = welsh_sms(catalogue, "utter_sms_safe_to_text_question")
    assert said(question) in texts  # the channel's own question, in Welsh
    assert texter.text_and_wait("IE") == [welsh_sms(catalogue, "utter_sms_safe_to_text_yes")]
    # Welsh letters (ŵ, ŷ) make a text UCS-2: every one still fits in 3 segments
    for text in texter.replies():
        assert count_segments(text).segments <= 3, text
    assert texter.text_and_wait("HELP") == [welsh_sms(catalogue, "utter_sms_help")]


def test_a_text_sent_to_the_rasa_server_itself_is_queued_and_answered(
    assistant, fake_twilio, catalogue
):
    """A number pointed at the Rasa server's port (not the receiver's) still gets answers."""
    texter = Texter(f"{assistant.rasa_url}/webhooks/sms/webhook", fake_twilio, next(NUMBERS))
    fields = {"MessageSid": next(SIDS), "From": texter.number, "Body": "what is grooming"}
    # Twilio signs for the URL it was told (the public one), whichever server answers
    assert post_signed(texter.webhook, fields, sign(assistant.sms_webhook, fields)) == 200
    replies = texter.wait_for_texts(0)
    assert sms_text(catalogue, "utter_grooming") in said(replies)


def test_a_persons_texts_are_answered_in_the_order_they_came(texter, catalogue):
    """Three texts at once from one person: three turns, one after another, in order."""
    questions = ["what is grooming", "what is consent", "what is child sexual exploitation"]
    for question in questions:
        texter.text(question)
    replies = said(texter.wait_for_texts(0, count=3))
    answers = ["utter_grooming", "utter_consent", "utter_what_is_cse"]
    places = [replies.find(said(sms_text(catalogue, item))) for item in answers]
    assert -1 not in places and places == sorted(places)


def test_the_receiver_refuses_a_huge_post_and_goes_on_answering(texter, catalogue):
    huge = {"MessageSid": next(SIDS), "From": texter.number, "Body": "x" * 200_000}
    assert post_signed(texter.webhook, huge) == 413
    replies = texter.text_and_wait("what is grooming")
    assert sms_text(catalogue, "utter_grooming") in said(replies)
