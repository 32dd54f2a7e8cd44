"""The duty-worker console over HTTP against the running assistant: sign-in, roles, CSRF,
claiming, the bot's pause, availability, the quiet-worker notice and the audit log."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import threading
import time

import pytest
import requests

from tests.e2e.conftest import QUIET_SECONDS, Conversation
from tests.e2e.console_client import ConsoleClient, form_token
from tests.e2e.texter import NUMBERS, Texter, wait_until

pytestmark = pytest.mark.slow
REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
DISCLOSURE = "my boyfriend is 25 and he makes me have sex with his mates"


def disclose(conversation: Conversation) -> str:
    """Disclose as a young person; return the reference the bot gave."""
    return REFERENCE.search(conversation.reply_text(DISCLOSURE)).group(0)


def claimed(worker: ConsoleClient, reference: str) -> None:
    reply = worker.post(f"/api/conversations/{reference}/claim").json()
    assert reply["won"] is True, reply


def test_the_one_time_password_must_be_changed_before_anything_else(console_url, accounts):
    client = ConsoleClient(console_url, "first-timer", accounts.add("first-timer", "duty_worker"))
    assert client.login().headers["location"] == "/console/password"
    assert client.get("/queue").headers["location"] == "/console/password"
    assert client.get("/api/queue").json() == {"error": "password_change_needed"}


def test_cookies_are_httponly_samesite_strict_and_pages_carry_a_strict_csp(worker, console_url):
    signed_in = worker.login()
    session_cookie = next(
        c for c in signed_in.raw.headers.getlist("Set-Cookie") if c.startswith("console_session=")
    )
    assert "HttpOnly" in session_cookie and "SameSite=Strict" in session_cookie
    assert "Path=/console" in session_cookie
    public = requests.get(f"{console_url}/login")
    assert "frame-ancestors 'none'" in public.headers["Content-Security-Policy"]
    assert "script-src 'self'" in public.headers["Content-Security-Policy"]


def test_changes_without_the_csrf_token_are_refused(worker, console_url, conversation):
    reference = disclose(conversation)
    assert worker.post("/api/availability", {"available": True}, csrf=False).status_code == 403
    wrong = worker.http.post(
        f"{console_url}/api/availability", json={"available": True}, headers={"X-CSRF-Token": "x"}
    )
    assert wrong.status_code == 403
    assert worker.post(f"/api/conversations/{reference}/claim", csrf=False).status_code == 403
    assert next(e for e in worker.queue() if e["reference"] == reference)["status"] == "open"
    # the sign-out form without its token does not sign out
    assert worker.http.post(f"{console_url}/logout", data={}).status_code == 403
    assert worker.get("/api/queue").status_code == 200
    # the sign-in form needs the token from its own cookie
    bare = requests.post(
        f"{console_url}/login",
        data={"name": worker.name, "password": worker.password, "csrf": "guess"},
        allow_redirects=False,
    )
    assert bare.status_code == 403 and "console_session" not in bare.headers.get("Set-Cookie", "")


def test_a_logged_out_session_cannot_be_reused(worker, console_url):
    stolen = worker.http.cookies.get("console_session", path="/console")
    page = worker.http.get(f"{console_url}/queue")
    out = worker.http.post(
        f"{console_url}/logout", data={"csrf": form_token(page.text)}, allow_redirects=False
    )
    assert out.headers["location"] == "/console/login"
    replay = requests.Session()
    replay.cookies.set("console_session", stolen, path="/console")
    assert replay.get(f"{console_url}/api/queue").status_code == 401
    assert replay.get(f"{console_url}/queue", allow_redirects=False).headers["location"] == (
        "/console/login"
    )


def test_disabling_a_user_ends_their_sessions(worker, accounts):
    assert worker.get("/api/queue").status_code == 200
    accounts.disable(worker.name)
    assert worker.get("/api/queue").status_code == 401
    assert worker.login().status_code == 401


def test_a_duty_worker_cannot_open_supervisor_pages(worker, supervisor):
    assert worker.get("/audit").status_code == 403
    assert worker.get("/audit/export").status_code == 403
    assert supervisor.get("/audit").status_code == 200
    export = supervisor.get("/audit/export")
    assert export.status_code == 200 and export.text.startswith("id,at,actor,action")


def test_failed_logins_slow_an_account_down_but_not_from_a_browser_it_used_before(worker):
    attacker = ConsoleClient(worker.base, worker.name, "not the password")
    for _ in range(5):
        assert attacker.login().status_code == 401
    assert attacker.login(worker.password).status_code == 429  # right password, still refused
    assert worker.login().status_code == 302  # the worker's own browser is known: not locked out


def test_two_workers_claiming_at_once_one_wins(console_url, accounts, conversation):
    reference = disclose(conversation)
    workers = [ConsoleClient.new_user(console_url, accounts) for _ in range(2)]
    start = threading.Barrier(2)
    results: dict[str, dict] = {}

    def claim(worker: ConsoleClient) -> None:
        start.wait()
        results[worker.name] = worker.post(f"/api/conversations/{reference}/claim").json()

    threads = [threading.Thread(target=claim, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, result in results.items() if result["won"]]
    assert len(winners) == 1
    assert all(result["holder"] == winners[0] for result in results.values())


def test_restart_from_the_person_does_not_end_a_takeover(worker, conversation):
    reference = disclose(conversation)
    claimed(worker, reference)
    for text in ("/restart", "restart", "/greet", "/session_start", "what is cse"):
        assert conversation.say(text) == [], text  # the bot stays silent for the worker
    entry = next(e for e in worker.queue() if e["reference"] == reference)
    assert entry["status"] == "claimed" and entry["claimed_by"] == worker.name
    said = [line["text"] for line in worker.conversation(reference)["lines"]]
    assert said[-5:] == [
        "\uff0frestart",
        "restart",
        "\uff0fgreet",
        "\uff0fsession_start",
        "what is cse",
    ]
    closed = worker.post(f"/api/conversations/{reference}/close", {"outcome": "signposted"})
    assert closed.json()["status"] == "closed"
    assert conversation.say("what is cse")  # the bot answers again


def two_hours_pass(assistant, conversation: Conversation) -> None:
    """Move the conversation's events two hours into the past (Rasa reads times from data)."""
    with sqlite3.connect(assistant.tracker_db_path) as connection:
        connection.execute(
            "UPDATE events SET timestamp = timestamp - 7200, data = json_set(data, "
            "'$.timestamp', json_extract(data, '$.timestamp') - 7200) WHERE sender_id = ?",
            (conversation.sender,),
        )


def test_an_hour_of_silence_does_not_end_a_takeover(worker, conversation, assistant, catalogue):
    reference = disclose(conversation)
    claimed(worker, reference)
    # Rasa would start a new session (and lift its own pause) on the next message
    two_hours_pass(assistant, conversation)
    assert conversation.say("hello again") == []
    lines = worker.conversation(reference)["lines"]
    assert lines[-1]["text"] == "hello again"
    worker.post(f"/api/conversations/{reference}/close", {"outcome": "no_further_action"})
    notice = catalogue.text("utter_draft_content_notice", "en", None, "web")
    two_hours_pass(assistant, conversation)
    assert notice in conversation.reply_text("what is cse")  # a new session, the bot answering


def test_a_new_danger_while_held_raises_the_priority_without_the_bot_speaking(worker, conversation):
    reference = disclose(conversation)
    claimed(worker, reference)
    assert conversation.say("he is outside my house right now and says he will hurt me") == []
    entry = next(e for e in worker.queue() if e["reference"] == reference)
    assert entry["priority"] == 1 and entry["status"] == "claimed"
    shown = worker.conversation(reference)
    latest = shown["lines"][-1]
    assert latest["speaker"] == "person" and "present_threat" in latest["indicators"]
    # the console marks the message that raised the escalation and says why
    assert latest["message_id"] in shown["escalation"]["evidence_message_ids"]
    assert "present_threat" in shown["escalation"]["indicators"]


def test_the_console_says_why_and_about_whom_and_a_false_alarm_is_counted(worker, conversation):
    reference = disclose(conversation)
    shown = worker.conversation(reference)
    escalation = shown["escalation"]
    assert escalation["subject"] == "the person writing"
    assert "sexual_exploitation" in escalation["indicators"]
    [said] = [line for line in shown["lines"] if line["speaker"] == "person"]
    assert said["message_id"] in escalation["evidence_message_ids"]
    assert "sexual_exploitation" in said["indicators"]
    assert "not a safeguarding concern" in worker.get(f"/conversations/{reference}").text.lower()
    before = worker.get("/queue").text
    closed = worker.post(f"/api/conversations/{reference}/close", {"outcome": "false_alarm"})
    assert closed.json()["outcome"] == "false_alarm"
    after = worker.get("/queue").text
    assert re.search(r"False alarms in the last 30 days: \d+ of \d+", after)
    counts = [
        re.search(r"False alarms in the last 30 days: (\d+) of (\d+)", page)
        for page in (before, after)
    ]
    if counts[0]:  # other tests may have closed escalations before this one
        assert int(counts[1][1]) == int(counts[0][1]) + 1
        assert int(counts[1][2]) == int(counts[0][2]) + 1
    else:
        assert counts[1][1] == "1"


def test_being_available_or_away_changes_what_the_bot_tells_people(worker, assistant, catalogue):
    available = catalogue.text("utter_duty_available", "en", None, "web")
    unavailable = catalogue.text("utter_duty_unavailable", "en", None, "web").split("\n")[0]
    assert unavailable in Conversation(assistant.rest_webhook).reply_text(DISCLOSURE)
    assert worker.post("/api/availability", {"available": True}).json() == {"available": True}
    assert available in Conversation(assistant.rest_webhook).reply_text(DISCLOSURE)
    worker.post("/api/availability", {"available": False})
    assert unavailable in Conversation(assistant.rest_webhook).reply_text(DISCLOSURE)


def test_a_quiet_worker_never_leaves_a_message_unanswered(
    worker, supervisor, assistant, fake_twilio, catalogue
):
    texter = Texter(assistant.sms_webhook, fake_twilio, next(NUMBERS))
    question = catalogue.text("utter_sms_safe_to_text_question", "en", None, "sms")
    texter.text(DISCLOSURE)
    assert wait_until(lambda: question.split()[0] in " ".join(texter.replies()))
    texter.text_and_wait("1")  # yes, it is safe to text this number
    reference = next(
        e["reference"] for e in worker.queue() if e["channel"] == "sms" and e["status"] == "open"
    )
    # the queue shows the number masked to everyone; a supervisor may ask for it, and is audited
    shown = {e["reference"]: e["identifier"] for e in worker.queue()}[reference]
    assert shown == f"•••• ••• {texter.number[-3:]}"
    assert {e["reference"]: e["identifier"] for e in supervisor.queue()}[reference] == shown
    assert worker.post(f"/api/conversations/{reference}/identifier").status_code == 403
    full = supervisor.post(f"/api/conversations/{reference}/identifier").json()
    assert full == {"identifier": texter.number}
    claimed(worker, reference)
    joined = catalogue.text("handoff_worker_joined", "en", None, "sms")
    assert wait_until(lambda: joined in " ".join(texter.replies()))
    before = len(texter.replies())
    texter.text("hello? are you there")
    time.sleep(QUIET_SECONDS / 2)
    assert len(texter.replies()) == before  # no bot reply while the worker holds it
    quiet = catalogue.text("handoff_worker_quiet", "en", None, "sms")
    new = texter.wait_for_texts(before)
    assert " ".join(" ".join(new).split()) == " ".join(quiet.split())
    time.sleep(QUIET_SECONDS + 1)
    assert len(texter.replies()) == before + len(new)  # told once per unanswered message


def test_every_action_is_audited_and_a_changed_entry_is_detected(
    worker, supervisor, console_url, accounts, audit, conversation, assistant
):
    reference = disclose(conversation)
    colleague = ConsoleClient.new_user(console_url, accounts)
    worker.conversation(reference)
    claimed(worker, reference)
    assert worker.post(f"/api/conversations/{reference}/reply", {"text": "hello"}).ok
    assert worker.post(
        f"/api/conversations/{reference}/reply", {"canned": "canned_are_you_safe"}
    ).ok
    assert worker.post(f"/api/conversations/{reference}/note", {"text": "seems safe"}).ok
    moved = worker.post(f"/api/conversations/{reference}/transfer", {"to": colleague.name})
    assert moved.json() == {"holder": colleague.name}
    refused = worker.post(f"/api/conversations/{reference}/reply", {"text": "still me"})
    assert refused.status_code == 409  # only the holder may reply
    bad = colleague.post(f"/api/conversations/{reference}/close", {"outcome": "made up"})
    assert bad.status_code == 409
    assert colleague.post(
        f"/api/conversations/{reference}/close", {"outcome": "referred_to_mash"}
    ).ok
    assert worker.post(f"/api/conversations/{reference}/reopen").json() == {"status": "open"}
    assert supervisor.get("/audit/export").ok

    about = [(e.actor, e.action) for e in audit.entries(reference)]
    assert about == [
        (worker.name, "view_transcript"),
        (worker.name, "claim"),
        (worker.name, "reply"),
        (worker.name, "reply"),
        (worker.name, "note"),
        (worker.name, "transfer"),
        (colleague.name, "close"),
        (worker.name, "reopen"),
    ]
    everyone = [(e.actor, e.action) for e in audit.entries()]
    assert (worker.name, "login") in everyone and (supervisor.name, "export") in everyone
    assert (worker.name, "password_changed") in everyone
    assert 'data-ok="true"' in supervisor.get("/audit").text

    database = assistant.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        row_id, detail = connection.execute(
            "SELECT id, detail FROM audit_entries WHERE action = 'transfer' ORDER BY id DESC"
        ).fetchone()
        connection.execute("UPDATE audit_entries SET detail = 'to nobody' WHERE id = ?", (row_id,))
    try:
        page = supervisor.get("/audit").text
        assert 'data-ok="false"' in page and f"entry {row_id}: its contents were changed" in page
    finally:
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE audit_entries SET detail = ? WHERE id = ?", (detail, row_id))
    assert audit.verify() == []


def test_look_up_a_reference_however_it_is_typed(worker, conversation):
    reference = disclose(conversation)
    typed = reference.lower().replace("-", " ")
    found = worker.get(f"/lookup?reference={typed}")
    assert found.headers["location"] == f"/console/conversations/{reference}"
    assert worker.get("/lookup?reference=ABCD-EFGH").status_code == 404


def test_the_console_pages_escape_what_people_typed(worker, conversation):
    reference = disclose(conversation)
    claimed(worker, reference)
    conversation.say("<script>alert(1)</script>")
    page = worker.get(f"/conversations/{reference}").text
    assert "<script>alert" not in page  # the transcript reaches the page only as JSON data
    lines = worker.conversation(reference)["lines"]
    assert lines[-1]["text"] == "<script>alert(1)</script>"


def test_signing_out_gives_held_conversations_back_to_the_bot(worker, audit, conversation):
    reference = disclose(conversation)
    claimed(worker, reference)
    assert conversation.say("are you there") == []
    page = worker.get("/queue")
    worker.http.post(f"{worker.base}/logout", data={"csrf": form_token(page.text)})
    assert wait_until(lambda: conversation.say("what is cse"), timeout=15)  # the bot is back
    assert ("(console)", "release") in [(e.actor, e.action) for e in audit.entries(reference)]


def test_transfer_only_to_someone_signed_in_and_a_supervisor_can_close_any(
    worker, supervisor, console_url, accounts, conversation
):
    reference = disclose(conversation)
    claimed(worker, reference)
    accounts.add("never-signed-in", "duty_worker")
    refused = worker.post(f"/api/conversations/{reference}/transfer", {"to": "never-signed-in"})
    assert refused.status_code == 409
    assert supervisor.name in worker.get("/api/users").json()
    closed = supervisor.post(f"/api/conversations/{reference}/close", {"outcome": "lost_contact"})
    assert closed.json()["status"] == "closed"
    assert conversation.say("what is cse")  # the bot is back


def test_bad_input_gets_a_clear_answer_never_a_crash(worker, console_url):
    assert worker.post("/api/availability", [1, 2]).json() == {"available": False}
    garbled = worker.http.post(
        f"{console_url}/api/availability",
        data=b"{not json",
        headers={"X-CSRF-Token": worker.csrf, "Content-Type": "application/json"},
    )
    assert garbled.status_code == 400
    odd = requests.get(
        f"{console_url}/api/queue", headers={"Cookie": 'console_session="\\303\\251\\377"'}
    )
    assert odd.status_code == 401
    assert worker.get("/conversations/%3Cscript%3E").status_code == 404
    assert worker.post("/api/conversations/ZZZZ-ZZZZ/claim").status_code == 404
    huge = worker.post("/api/conversations/ZZZZ-ZZZZ/reply", {"text": "x" * 100_000})
    assert huge.status_code == 413  # refused before it is read


def test_sign_out_works_before_the_first_password_is_changed(console_url, accounts):
    client = ConsoleClient(
        console_url, "leaving-early", accounts.add("leaving-early", "duty_worker")
    )
    client.login()
    page = client.http.get(f"{console_url}/password")
    out = client.http.post(
        f"{console_url}/logout", data={"csrf": form_token(page.text)}, allow_redirects=False
    )
    assert out.headers["location"] == "/console/login"
    assert client.get("/password").headers["location"] == "/console/login"


def test_the_audit_export_never_carries_a_spreadsheet_formula(supervisor, console_url):
    formula = '=HYPERLINK("https://evil.example","x")'
    ConsoleClient(console_url, formula, "wrong").login()
    rows = list(csv.reader(io.StringIO(supervisor.get("/audit/export").text)))
    assert ["'" + formula, "login_failed"] in [row[2:4] for row in rows]
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_a_text_that_cannot_be_sent_is_reported_to_the_worker(worker, assistant, fake_twilio):
    texter = Texter(assistant.sms_webhook, fake_twilio, next(NUMBERS))
    texter.text(DISCLOSURE)
    reference = wait_until(
        lambda: next(
            (
                e["reference"]
                for e in worker.queue()
                if e["identifier"].endswith(texter.number[-3:])
            ),
            None,
        )
    )
    assert wait_until(lambda: len(texter.replies()) >= 2)  # the reply and the safe-to-text question
    texter.text_and_wait("1")
    claimed(worker, reference)
    fake_twilio.rejected[texter.number] = 30003  # unreachable handset
    reply = worker.post(f"/api/conversations/{reference}/reply", {"text": "are you ok?"})
    assert reply.json() == {"delivery": "failed"}
    entry = next(e for e in worker.queue() if e["reference"] == reference)
    assert entry["unsent_texts"] >= 1
    lines = worker.conversation(reference)["lines"]
    assert (lines[-1]["speaker"], lines[-1]["delivery"]) == ("worker", "failed")


def test_a_canned_reply_and_the_handoff_notice_reach_a_welsh_texter_in_welsh(
    worker, assistant, fake_twilio, catalogue
):
    texter = Texter(assistant.sms_webhook, fake_twilio, next(NUMBERS))
    welsh = (
        "mae dyn hŷn o snap yn gwneud i fi anfon lluniau noeth ac yn dweud mod i mewn dyled iddo"
    )
    question = catalogue.text("utter_sms_safe_to_text_question", "cy", None, "sms")
    texter.text(welsh)
    assert wait_until(lambda: question.split()[0] in " ".join(texter.replies()))
    texter.text_and_wait("IE")  # yes, it is safe to text this number
    reference = REFERENCE.search(" ".join(texter.replies())).group(0)
    canned = {c["id"]: c["text"] for c in worker.conversation(reference)["canned"]}
    assert canned["canned_are_you_safe"] == catalogue.text("canned_are_you_safe", "cy", None, "sms")
    claimed(worker, reference)
    joined = catalogue.text("handoff_worker_joined", "cy", None, "sms")
    assert wait_until(lambda: joined in " ".join(texter.replies()))
    before = len(texter.replies())
    sent = worker.post(f"/api/conversations/{reference}/reply", {"canned": "canned_are_you_safe"})
    assert sent.ok
    assert texter.wait_for_texts(before) == [canned["canned_are_you_safe"]]
