"""Over REST, with the minute's wait of a production server: a follow-up that takes an alarm back.

"There's a man outside my house" / "oh wait, it's the postman" must not alarm the duty team, even
a message later, but a disclosure followed by "lol jk" must still reach it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.runner import RunSettings, running_assistant
from bot.storage.escalation_records import WITHDRAWN
from bot.storage.escalations import EscalationStore
from bot.storage.references import parse_reference
from tests.e2e.conftest import Conversation

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def waiting(trained_model, tmp_path_factory) -> Iterator[RunSettings]:
    """An assistant whose escalations that a follow-up may take back wait two minutes for it."""
    settings = replace(
        RunSettings.isolated(tmp_path_factory.mktemp("waiting"), trained_model),
        withdrawal_window=120,
    )
    with running_assistant(settings):
        yield settings


def text_of(catalogue, item_id: str, reference: str) -> str:
    return catalogue.item(item_id).variant_for("en", None).web.replace("{reference}", reference)


def test_an_alarm_explained_away_by_the_next_message_is_withdrawn_before_any_worker_sees_it(
    waiting, catalogue
):
    store = EscalationStore(waiting.database_url, window=None)
    person = Conversation(waiting.rest_webhook)
    alarm = person.reply_text("i got paid 20 quid to deliver stuff")
    reference = parse_reference(alarm)
    assert reference, alarm
    [waiting_one] = store.all_for(person.sender)
    assert waiting_one.reference == reference and waiting_one.status == "open"
    assert reference not in {e.reference for e in store.queue()}
    explained = person.reply_text("leaflets for the pizza place lol")
    assert text_of(catalogue, "utter_escalation_withdrawn", reference) in explained
    [closed] = store.all_for(person.sender)
    assert (closed.status, closed.outcome) == ("closed", WITHDRAWN)
    # the rest of the conversation reads the first message as explained: nothing re-escalates
    person.reply_text("my mum says i need a work permit at 14 is that true")
    assert len(store.all_for(person.sender)) == 1
    assert reference not in {e.reference for e in store.queue()}


def test_a_disclosure_followed_by_lol_jk_reaches_the_duty_team_after_the_next_message(
    waiting, catalogue
):
    store = EscalationStore(waiting.database_url, window=None)
    person = Conversation(waiting.rest_webhook)
    reference = parse_reference(person.reply_text("my uncle touches me when mum is at work"))
    assert reference not in {e.reference for e in store.queue()}  # waiting for the follow-up
    reply = person.reply_text("lol jk")
    assert text_of(catalogue, "utter_escalation_withdrawn", reference) not in reply
    # one more message may still explain it away; "lol jk" read with it takes nothing back
    assert reference not in {e.reference for e in store.queue()}
    reply = person.reply_text("ok")
    assert text_of(catalogue, "utter_escalation_withdrawn", reference) not in reply
    queued = {e.reference: e for e in store.queue()}
    assert reference in queued and queued[reference].status == "open"


def test_an_alarm_explained_away_two_messages_later_is_withdrawn(waiting, catalogue):
    store = EscalationStore(waiting.database_url, window=None)
    person = Conversation(waiting.rest_webhook)
    reference = parse_reference(person.reply_text("theres a man outside my house"))
    assert reference, "the alarm opens an escalation"
    person.reply_text("hes looking at our windows")
    assert reference not in {e.reference for e in store.queue()}
    explained = person.reply_text("oh wait nvm its the amazon guy hes just sorting parcels")
    assert text_of(catalogue, "utter_escalation_withdrawn", reference) in explained
    [closed] = store.all_for(person.sender)
    assert (closed.status, closed.outcome) == ("closed", WITHDRAWN)


def test_an_alarm_told_in_two_messages_waits_and_is_taken_back_only_by_an_explanation(
    waiting, catalogue
):
    store = EscalationStore(waiting.database_url, window=None)
    explained = Conversation(waiting.rest_webhook)
    assert parse_reference(explained.reply_text("a man keeps giving me money")) is None
    reference = parse_reference(explained.reply_text("now he wants me to get in his car"))
    assert reference, "the two messages together open an escalation"
    assert reference not in {e.reference for e in store.queue()}  # waiting for the follow-up
    reply = explained.reply_text("its my grandad lol he gives me pocket money")
    assert text_of(catalogue, "utter_escalation_withdrawn", reference) in reply
    # a follow-up that says nothing of why does not take it back
    unexplained = Conversation(waiting.rest_webhook)
    unexplained.reply_text("a man keeps giving me money")
    kept = parse_reference(unexplained.reply_text("now he wants me to get in his car"))
    for follow_up in ("hes really nice tho", "ok"):
        reply = unexplained.reply_text(follow_up)
        assert text_of(catalogue, "utter_escalation_withdrawn", kept) not in reply
    assert kept in {e.reference for e in store.queue()}


def test_wanting_to_die_of_embarrassment_is_withdrawn_but_pills_taken_are_queued_at_once(
    waiting, catalogue
):
    store = EscalationStore(waiting.database_url, window=None)
    person = Conversation(waiting.rest_webhook)
    reference = parse_reference(person.reply_text("i want to die"))
    assert reference, "wanting to die opens an escalation at once"
    assert reference not in {e.reference for e in store.queue()}  # waiting for the follow-up
    explained = person.reply_text("of embarrassment, i called my teacher mum in front of everyone")
    assert text_of(catalogue, "utter_escalation_withdrawn", reference) in explained
    taken = Conversation(waiting.rest_webhook)
    pills = parse_reference(taken.reply_text("i just took 20 pills"))
    assert pills in {e.reference for e in store.queue()}
