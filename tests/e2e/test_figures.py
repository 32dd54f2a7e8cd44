"""Figures for scrutiny, seeded through the running assistant: conversations over REST and SMS
(through the fake Twilio server), escalations claimed and closed in the console, then every
figure checked in the anonymous events, on the page and in the downloads, small numbers hidden,
nothing that identifies anyone anywhere in them, and the purge changing none of them."""

from __future__ import annotations

import asyncio
import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple, replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.console.accounts import AccountStore
from bot.figures.events import Measure
from bot.runner import RunSettings, environment, retention_purger, running_assistant
from bot.services import uk_now
from bot.storage.database import create_engine
from bot.storage.figures import FigureStore
from tests.e2e.conftest import Conversation, sms_environment
from tests.e2e.console_client import ConsoleClient
from tests.e2e.test_webchat_channel import ChatClient, post_exit_beacon
from tests.e2e.texter import NUMBERS, Texter, wait_until

pytestmark = pytest.mark.slow
REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
DISCLOSURE = "my boyfriend is 25 and he makes me have sex with his mates"
DANGER = "he is outside my house right now and says he will hurt me"
INVALID_NUMBER = 21211  # Twilio's "not a valid phone number": every text to it fails


@pytest.fixture(scope="module")
def counted(trained_model, tmp_path_factory, fake_twilio) -> Iterator[RunSettings]:
    """An assistant of its own, so that every figure it records is known."""
    work_dir = tmp_path_factory.mktemp("figures")
    settings = replace(RunSettings.isolated(work_dir, trained_model), withdrawal_window=0)
    with environment(sms_environment(settings, fake_twilio, work_dir)), running_assistant(settings):
        yield settings


async def leave_by_quick_exit(base_url: str) -> int:
    """Open the web chat and leave it with quick exit (the page's beacon), saying nothing."""
    client = ChatClient()
    claim = await client.start(base_url)
    left = await asyncio.to_thread(post_exit_beacon, base_url, claim)
    await client.sio.disconnect()
    return left


@pytest.fixture(scope="module")
def seeded(counted, fake_twilio) -> dict:
    """Talk to the assistant as people would; return what was said and who said it."""
    said: dict = {"senders": [], "texts": [], "references": [], "numbers": []}

    def talk(*messages: str) -> str:
        conversation = Conversation(counted.rest_webhook)
        said["senders"].append(conversation.sender)
        said["texts"].extend(messages)
        return " ".join(conversation.reply_text(m) for m in messages)

    for _ in range(5):
        talk("what is cse")
    checker = ["can you go through the warning signs with me one by one"]
    checker += ["yes", "no", "skip", "yes", "no", "skip", "no", "no"]  # missing, substances
    for _ in range(5):
        talk("im a parent", "where can i get help", *checker)
    talk("Cymraeg")
    for message in [DISCLOSURE] * 5 + [DANGER]:
        said["references"].append(REFERENCE.search(talk(message)).group(0))

    assert asyncio.run(leave_by_quick_exit(counted.rasa_url)) == 204

    texter = Texter(counted.sms_webhook, fake_twilio, next(NUMBERS))
    texter.text_and_wait("hi")
    texter.text("STOP")
    unreachable = Texter(counted.sms_webhook, fake_twilio, next(NUMBERS))
    fake_twilio.rejected[unreachable.number] = INVALID_NUMBER
    unreachable.text("hi")
    said["numbers"] = [texter.number, unreachable.number]
    said["texts"] += ["hi", "STOP"]
    store = FigureStore(counted.database_url)
    assert wait_until(lambda: counts(store)[Measure.SMS_OPT_OUT.value, ""] == 1)
    assert wait_until(lambda: counts(store)[Measure.SMS_FAILED.value, ""] >= 1)
    return said


@pytest.fixture(scope="module")
def supervisor(counted) -> ConsoleClient:
    base = f"{counted.rasa_url}/console"
    return ConsoleClient.new_user(base, AccountStore(counted.database_url), role="supervisor")


@pytest.fixture(scope="module")
def handled(seeded, supervisor) -> dict:
    """The supervisor claims five escalations and closes four: one a false alarm."""
    *disclosures, danger = seeded["references"]
    for reference in [danger, *disclosures[:4]]:
        assert supervisor.post(f"/api/conversations/{reference}/claim").json()["won"]
    closes = {danger: "false_alarm", **{r: "signposted" for r in disclosures[:3]}}
    for reference, outcome in closes.items():
        closed = supervisor.post(f"/api/conversations/{reference}/close", {"outcome": outcome})
        assert closed.status_code == 200, closed.text
    return seeded


def counts(store: FigureStore, split=lambda e: "") -> Counter:
    today = uk_now().date()
    counted: Counter = Counter()
    for event in store.between(today - timedelta(days=1), today):
        counted[event.measure.value, split(event)] += event.weight
    return counted


def test_every_figure_counts_what_happened(counted, handled):
    store = FigureStore(counted.database_url)
    by_channel = counts(store, lambda e: e.channel)
    # 17 seeded, and the start-up check `bot run` makes over REST in development
    assert by_channel["conversation", "rest"] == 18
    assert by_channel["conversation", "sms"] == 2
    assert sum(n for (m, _), n in by_channel.items() if m == "conversation") == 20
    by_language = counts(store, lambda e: e.language)
    assert (
        by_language["conversation_language", "cy"],
        by_language["conversation_language", "en"],
    ) == (1, 19)
    by_audience = counts(store, lambda e: e.audience)
    assert by_audience["conversation_audience", "parent"] == 5
    assert sum(n for (m, _), n in by_audience.items() if m == "conversation_audience") == 20
    by_item = counts(store, lambda e: e.item)
    assert by_item["topic", "ask_what_is_cse"] == 5
    assert by_item["topic", "ask_help_services"] == 5
    assert by_item["help_listing", ""] == 5
    shown = [n for (m, _), n in by_item.items() if m == "service_shown"]
    assert len(shown) == 4 and set(shown) == {5}  # 999 aside, the same 4 services each time
    assert by_item["checker", ""] == 5
    signs = {item: n for (m, item), n in by_item.items() if m == "checker_sign" and n}
    assert signs == {"missing": 5, "substances": 5}
    by_priority = counts(store, lambda e: e.priority)
    assert (by_priority["escalation", 1], by_priority["escalation", 2]) == (1, 5)
    by_route = counts(store, lambda e: e.route)
    assert (by_route["escalation", "danger"], by_route["escalation", "disclosure"]) == (1, 5)
    assert by_priority["escalation_claimed", 1] == 1 and by_priority["escalation_claimed", 2] == 4
    by_outcome = counts(store, lambda e: e.outcome)
    assert by_outcome["escalation_closed", "false_alarm"] == 1
    assert by_outcome["escalation_closed", "signposted"] == 3
    plain = counts(store)
    assert plain["sms_opt_out", ""] == 1 and plain["quick_exit", ""] == 1
    with create_engine(counted.database_url).connect() as connection:
        failed = connection.execute(
            sa.text("SELECT count(*) FROM sms_outbound WHERE status = 'failed'")
        ).scalar_one()
    assert plain["sms_failed", ""] == failed >= 1


def csv_rows(supervisor: ConsoleClient) -> dict[tuple[str, str], list[str]]:
    today = uk_now().date().isoformat()
    download = supervisor.get(f"/figures/report?from={today}&to={today}&format=csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    lines = download.text.splitlines()[1:]
    return {(r[1], r[2]): r[3:6] for r in csv.reader(lines)}


def test_the_page_and_downloads_hide_small_numbers_and_what_a_total_would_reveal(
    handled, supervisor
):
    rows = csv_rows(supervisor)
    assert rows["Conversations by channel", "Text message (SMS)"][0] == "fewer than 5"
    assert rows["Conversations by channel", "Other (REST API)"][0] == "not shown"
    assert rows["Conversations by channel", "Total"] == ["20", "0", "20"]
    assert rows["Conversations by language", "Welsh (Cymraeg)"][0] == "fewer than 5"
    assert rows["Conversations by language", "English"][0] == "not shown"
    assert rows["Who was asking", "Parent or carer"][0] == "5"
    assert rows["Topics asked about", "What is cse"][0] == "5"
    assert rows["Warning-signs checker", "Checker started"][0] == "5"
    assert rows["Services shown", "Lists of services shown"][0] == "5"
    # one priority-1 escalation: hidden, and the priority-2 count with it (6 - 5 would be 1)
    assert rows["Escalations by priority", "Priority 1 (danger now)"][0] == "fewer than 5"
    assert rows["Escalations by priority", "Priority 2"][0] == "not shown"
    assert rows["Escalations by priority", "Total"][0] == "6"
    closed = "How escalations were closed"
    assert rows[closed, "Not a safeguarding concern (false alarm)"][0] == "fewer than 5"
    assert rows[closed, "Total"][0] == "fewer than 5"
    assert rows["Leaving, opting out and failed texts", "Left by quick exit"][0] == "fewer than 5"
    assert rows["Leaving, opting out and failed texts", "Texters who opted out (STOP)"][0] == (
        "fewer than 5"
    )
    page = supervisor.get("/figures")
    assert page.status_code == 200 and "fewer than 5" in page.text
    assert "Content-Security-Policy" in page.headers
    printable = supervisor.get(
        f"/figures/report?from={uk_now().date().isoformat()}&to={uk_now().date().isoformat()}"
    )
    assert printable.status_code == 200 and "<svg" in printable.text


def test_nothing_that_identifies_anyone_reaches_the_figures_or_the_report(
    counted, handled, supervisor
):
    with create_engine(counted.database_url).connect() as connection:
        stored = connection.execute(sa.text("SELECT * FROM figure_events")).all()
    written = " ".join(str(value) for row in stored for value in row)
    today = uk_now().date().isoformat()
    report = supervisor.get(f"/figures/report?from={today}&to={today}").text
    download = supervisor.get(f"/figures/report?from={today}&to={today}&format=csv").text
    secrets = [*handled["senders"], *handled["references"], *handled["numbers"], supervisor.name]
    secrets += [text for text in handled["texts"] if len(text) > 12]
    secrets += [number[-6:] for number in handled["numbers"]]
    for place in (written, report, download):
        for secret in secrets:
            assert secret not in place


def test_viewing_and_downloading_are_audited_and_refused_to_duty_workers(counted, supervisor):
    supervisor.get("/figures")
    worker = ConsoleClient.new_user(
        f"{counted.rasa_url}/console", AccountStore(counted.database_url)
    )
    assert worker.get("/figures").status_code == 403
    assert worker.get("/figures/report?format=csv").status_code == 403
    with create_engine(counted.database_url).connect() as connection:
        audited = connection.execute(
            sa.text("SELECT actor, action FROM audit_entries WHERE action LIKE '%figures%'")
        ).all()
    assert (supervisor.name, "view_figures") in audited
    assert (supervisor.name, "figures_report") in audited
    assert all(actor != worker.name for actor, _ in audited)


def test_the_purge_changes_no_past_figure(counted, handled, supervisor):
    store = FigureStore(counted.database_url)
    today = uk_now().date()
    before = sorted(map(astuple, store.between(today - timedelta(days=2), today)))
    rows_before = csv_rows(supervisor)
    tracker = create_engine(counted.tracker_url)
    with tracker.begin() as connection:  # every conversation 40 days old: past retention
        connection.execute(sa.text("UPDATE events SET timestamp = timestamp - 40 * 86400"))
    assert retention_purger(counted)() >= 13  # all but the escalated ones
    assert sorted(map(astuple, store.between(today - timedelta(days=2), today))) == before
    assert csv_rows(supervisor) == rows_before


def test_a_duty_worker_sees_only_their_own_caseload(counted, handled, supervisor):
    *disclosures, _ = handled["references"]
    worker = ConsoleClient.new_user(
        f"{counted.rasa_url}/console", AccountStore(counted.database_url)
    )
    unclaimed = disclosures[4]
    assert worker.post(f"/api/conversations/{unclaimed}/claim").json()["won"]
    closed = worker.post(f"/api/conversations/{unclaimed}/close", {"outcome": "lost_contact"})
    assert closed.status_code == 200
    mine = worker.get("/caseload").text
    assert re.search(r'id="closed">1<', mine) and re.search(r'id="holding">0<', mine)
    assert re.search(r"Lost contact</th><td>1<", mine)
    assert re.search(r"Signposted</th><td>0<", mine)  # the supervisor's closes are not theirs
    theirs = supervisor.get("/caseload").text
    assert re.search(r'id="closed">4<', theirs) and re.search(r'id="holding">1<', theirs)
    assert re.search(r"Signposted</th><td>3<", theirs)


def test_a_reopened_escalation_and_a_claim_whose_worker_left_are_counted(
    counted, handled, supervisor
):
    store = FigureStore(counted.database_url)
    *_, danger = handled["references"]
    assert supervisor.post(f"/api/conversations/{danger}/reopen").status_code == 200
    worker = ConsoleClient.new_user(
        f"{counted.rasa_url}/console", AccountStore(counted.database_url)
    )
    assert worker.post(f"/api/conversations/{danger}/claim").json()["won"]
    worker.http.post(f"{worker.base}/logout", data={"csrf": worker.csrf})
    # the console sees the claim has nobody to hold it within seconds, and hands it back
    assert wait_until(lambda: counts(store)["escalation_released", ""] == 1, timeout=30)
    assert counts(store)["escalation_reopened", ""] == 1
    assert counts(store)["escalation_claimed", ""] == 6  # a reopened one's claim is not its first
