"""The scaled profile: two Rasa server workers over PostgreSQL, sharing their locks in Redis.

Requests land on whichever worker accepts them first, so every test here crosses processes:
a conversation's messages sent at once are still answered one at a time with none lost, the
same text delivered twice at once gives one turn and one escalation, and both workers work.
Last, the fault test: workers killed with SIGKILL under load lose no message and no escalation,
and the server replaces them.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.channels.phone_numbers import PhoneVault
from bot.fake_twilio import post_signed
from bot.local_servers import child_processes
from bot.runner import (
    RunSettings,
    environment,
    listening_sockets,
    running_assistant,
    send_message,
)
from bot.storage.database import create_engine
from bot.storage.escalations import EscalationStore
from tests.e2e.conftest import SMS_KEY, sms_environment
from tests.e2e.texter import NUMBERS, SIDS, Texter, wait_until

pytestmark = pytest.mark.slow

WORKERS = 2
KILLS = 4  # workers killed during the fault test, one every few seconds
KILL_EVERY_SECONDS = 5


@pytest.fixture(scope="module")
def scaled(
    trained_model, tmp_path_factory, postgres_server, redis_server, neutral_site, fake_twilio
) -> Iterator[tuple[RunSettings, int]]:
    """The assistant with two server workers; also the id of their parent process."""
    work_dir = tmp_path_factory.mktemp("scaled")
    settings = replace(
        RunSettings.isolated(work_dir, trained_model, exit_url=neutral_site),
        database_url=postgres_server.new_database(),
        redis_url=redis_server.url,
        workers=WORKERS,
        withdrawal_window=0,
    )
    with (
        environment(sms_environment(settings, fake_twilio, work_dir)),
        running_assistant(settings) as processes,
    ):
        rasa = processes[1].pid
        assert wait_until(lambda: len(child_processes(rasa)) == WORKERS)
        yield settings, rasa


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks


def user_texts(settings: RunSettings, sender: str) -> list[str]:
    with create_engine(settings.database_url).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'"),
            {"s": sender},
        ).scalars()
        return [json.loads(row)["text"] for row in rows]


def test_both_workers_answer_many_conversations_at_once(scaled):
    settings, rasa = scaled
    workers = child_processes(rasa)
    assert len(workers) == WORKERS
    before = {pid: cpu_seconds(pid) for pid in workers}

    def talk(n: int) -> bool:
        sender = f"load-{n}-{uuid.uuid4().hex[:8]}"
        texts = ("hi", "what is grooming", "how can i get help")
        return all(send_message(settings.rest_webhook, sender, text) for text in texts)

    with ThreadPoolExecutor(max_workers=20) as pool:
        assert all(pool.map(talk, range(40)))
    # every worker did part of the work (a turn costs each some CPU)
    assert all(cpu_seconds(pid) - before[pid] > 0.2 for pid in workers)


def test_one_persons_messages_sent_at_once_are_answered_one_at_a_time_and_none_lost(scaled):
    settings, _ = scaled
    sender = uuid.uuid4().hex
    send_message(settings.rest_webhook, sender, "hi")
    texts = [f"question number {n}" for n in range(12)]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        replies = list(pool.map(lambda t: send_message(settings.rest_webhook, sender, t), texts))
    assert all(replies)
    # with both workers writing one conversation unlocked, turns overwrite each other's events
    stored = user_texts(settings, sender)
    assert sorted(t for t in stored if t.startswith("question")) == sorted(texts)


def test_the_same_text_delivered_to_both_workers_at_once_is_one_turn_and_one_escalation(
    scaled, fake_twilio
):
    settings, _ = scaled
    texter = Texter(settings.sms_webhook, fake_twilio, next(NUMBERS))
    fields = {
        "MessageSid": next(SIDS),
        "From": texter.number,
        "To": "+447700900000",
        "Body": "my uncle touches me and says its our secret",
    }
    barrier = threading.Barrier(4)

    def deliver(_: int) -> int:
        barrier.wait()
        return post_signed(texter.webhook, fields)

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(deliver, range(4))) == [200] * 4
    conversation_id = PhoneVault(SMS_KEY).conversation_id(texter.number)
    store = EscalationStore(settings.database_url)
    [escalation] = wait_until(lambda: store.all_for(conversation_id))
    wait_until(lambda: escalation.reference in "\n".join(texter.replies()))
    wait_until(lambda: False, timeout=2)  # let anything else that was coming arrive
    assert user_texts(settings, conversation_id) == [fields["Body"]]  # one turn, not four
    assert len(store.all_for(conversation_id)) == 1
    replies = texter.replies()
    assert len(replies) == len(set(replies))  # nothing sent twice


def send_until_answered(settings: RunSettings, sender: str, text: str) -> list[dict]:
    """Send as a page does: a message whose connection broke is sent again until answered."""
    for _ in range(20):
        try:
            replies = send_message(settings.rest_webhook, sender, text, timeout=120)
        except OSError:  # the worker died with the request: the page sends it again
            time.sleep(1)
            continue
        if replies:
            return replies
    return []


def test_workers_killed_under_load_lose_no_message_and_no_escalation(scaled):
    """One worker is killed with SIGKILL every few seconds while 30 people talk."""
    settings, rasa = scaled
    people = [(f"fault-{n}-{uuid.uuid4().hex[:8]}", n % 3 == 0) for n in range(30)]
    disclosure = "my boyfriend is 25 and he makes me have sex with his mates"
    under_fire = threading.Event()
    killed: list[int] = []

    def kill_workers() -> None:
        """Every few seconds, once all workers listen again, kill one of them."""
        for _ in range(KILLS):
            time.sleep(KILL_EVERY_SECONDS)
            wait_until(lambda: listening_sockets(settings.rasa_port) == WORKERS, timeout=90)
            victim = child_processes(rasa)[len(killed) % WORKERS]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        under_fire.clear()

    def talk(person: tuple[str, bool]) -> bool:
        """The opening, then ordinary questions for as long as workers are being killed."""
        sender, discloses = person
        texts = ["hi", disclosure if discloses else "what is grooming", "where can i get help"]
        answered = all(send_until_answered(settings, sender, text) for text in texts)
        while under_fire.is_set():
            answered = answered and bool(send_until_answered(settings, sender, "what is cse"))
        return answered

    under_fire.set()
    killer = threading.Thread(target=kill_workers)
    killer.start()
    with ThreadPoolExecutor(max_workers=10) as pool:
        answered = list(pool.map(talk, people))
    killer.join()
    assert len(killed) == KILLS
    assert all(answered)  # every message answered in the end
    store = EscalationStore(settings.database_url)
    for sender, discloses in people:
        assert len(store.all_for(sender)) == (1 if discloses else 0), sender
    # the server replaced every worker it lost
    assert wait_until(lambda: len(child_processes(rasa)) == WORKERS, timeout=60)
