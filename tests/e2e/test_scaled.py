"""The scaled profile: two Rasa server workers over PostgreSQL, sharing their locks in Redis.

Requests land on whichever worker accepts them first, so every test here crosses processes:
a conversation's messages sent at once are still answered one at a time with none lost, the
same text delivered twice at once gives one turn and one escalation, and both workers work.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.channels.phone_numbers import PhoneVault
from bot.local_servers import child_processes
from bot.runner import RunSettings, running_assistant, send_message
from bot.storage.database import create_engine
from bot.storage.escalations import EscalationStore
from tests.e2e.conftest import SMS_KEY, environment, sms_environment
from tests.e2e.fake_twilio import post_signed
from tests.e2e.texter import NUMBERS, SIDS, Texter, wait_until

pytestmark = pytest.mark.slow

WORKERS = 2


@pytest.fixture(scope="module")
def scaled(
    trained_model, tmp_path_factory, postgres_server, redis_server, neutral_site, fake_twilio
) -> Iterator[tuple[RunSettings, list[int]]]:
    """The assistant with two server workers; also the workers' process ids."""
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
        rasa = processes[-1]
        workers = wait_until(
            lambda: child_processes(rasa.pid) if len(child_processes(rasa.pid)) >= WORKERS else []
        )
        yield settings, workers


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
    settings, workers = scaled
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
    texter = Texter(f"{settings.rasa_url}/webhooks/sms/webhook", fake_twilio, next(NUMBERS))
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
