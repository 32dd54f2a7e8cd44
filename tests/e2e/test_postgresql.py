"""The whole assistant on PostgreSQL: conversations, escalations and SMS records in one database.

The same running stack as the SQLite tests (Rasa server, action server, the fake Twilio), with
``BOT_DATABASE_URL`` pointing at a real PostgreSQL server on loopback and no SQLite file made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa

from bot.channels.phone_numbers import PhoneVault
from bot.runner import RunSettings, running_assistant
from bot.storage.database import create_engine
from bot.storage.escalations import EscalationStore
from bot.storage.sms import SmsStore
from tests.e2e.conftest import SMS_KEY, Conversation, environment, sms_environment
from tests.e2e.texter import NUMBERS, Texter, wait_until

pytestmark = pytest.mark.slow

REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
DISCLOSURE = "my boyfriend is 25 and he makes me have sex with his mates"


@pytest.fixture(scope="module")
def on_postgres(
    trained_model, tmp_path_factory, postgres_server, neutral_site, fake_twilio
) -> Iterator[RunSettings]:
    work_dir = tmp_path_factory.mktemp("postgres-var")
    settings = replace(
        RunSettings.isolated(work_dir, trained_model, exit_url=neutral_site),
        database_url=postgres_server.new_database(),
        withdrawal_window=0,
    )
    with environment(sms_environment(settings, fake_twilio, work_dir)), running_assistant(settings):
        yield settings


def events_of(settings: RunSettings, conversation_id: str) -> int:
    with create_engine(settings.database_url).connect() as connection:
        query = sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s")
        return int(connection.execute(query, {"s": conversation_id}).scalar_one())


def test_a_disclosure_and_its_conversation_are_kept_in_postgresql(on_postgres):
    conversation = Conversation(on_postgres.rest_webhook)
    reference = REFERENCE.search(conversation.reply_text(DISCLOSURE))
    assert reference is not None
    [escalation] = EscalationStore(on_postgres.database_url).all_for(conversation.sender)
    assert escalation.reference == reference.group(0)
    assert events_of(on_postgres, conversation.sender) > 0
    # nothing went to SQLite: the tracker store followed BOT_DATABASE_URL
    assert on_postgres.tracker_url == on_postgres.database_url
    assert not list(on_postgres.tracker_db_path.parent.glob("*.db"))


def test_texts_their_statuses_and_delete_work_on_postgresql(on_postgres, fake_twilio, catalogue):
    texter = Texter(on_postgres.sms_webhook, fake_twilio, next(NUMBERS))
    sms = SmsStore(on_postgres.database_url)
    conversation_id = PhoneVault(SMS_KEY).conversation_id(texter.number)
    assert texter.text_and_wait("what is grooming")
    assert wait_until(
        lambda: [r for r in sms.outbound_for(conversation_id) if r.status == "delivered"]
    )
    assert events_of(on_postgres, conversation_id) > 0
    deleted = catalogue.text("utter_sms_deleted", "en", None, "sms")
    assert texter.text_and_wait("DELETE") == [deleted]
    assert wait_until(lambda: sms.contact(conversation_id) is None)
    assert events_of(on_postgres, conversation_id) == 0
    assert sms.outbound_for(conversation_id) == []
