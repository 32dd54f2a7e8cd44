"""The safety policy inside Rasa: it reads the tracker, records the decision, leads the turn."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.catalogue import load_catalogue
from bot.safety.conversation import latest_turn, read_conversation
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet
from bot.safety.policy import SafetyPolicy
from bot.safety.signals import read_signals
from bot.training import build_domain

PATTERNS = PatternSet(load_catalogue().safety_patterns)


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(build_domain()))


def said(text, message_id, intent="out_of_scope"):
    normalised = normalise(text)
    signals = read_signals(normalised, PATTERNS.matches(normalised), {}, "en")
    parse = {"intent": {"name": intent}, "safety": {"signals": signals.as_dict()}}
    return UserUttered(text, parse["intent"], parse_data=parse, message_id=message_id)


def tracker(domain, *events):
    return DialogueStateTracker.from_events("person", [SessionStarted(), *events], domain.slots)


def predict(policy, domain, t):
    prediction = policy.predict_action_probabilities(t, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    name = domain.action_names_or_texts[best] if prediction.max_confidence else None
    return name, prediction


@pytest.fixture()
def policy(tmp_path):
    return SafetyPolicy.create(
        SafetyPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("safety_policy"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def test_after_a_message_the_decision_is_recorded_and_its_responses_follow(policy, domain):
    t = tracker(domain, said("hes outside my house right now and wont let me leave", "m1"))
    name, prediction = predict(policy, domain, t)
    assert name == "utter_danger_now" and prediction.is_no_user_prediction
    [recorded] = [e for e in prediction.events if isinstance(e, SlotSet)]
    assert recorded.key == "safety" and recorded.value["priority"] == 1
    assert recorded.value["evidence_message_ids"] == ["m1"]
    t.update(recorded)
    t.update(ActionExecuted("utter_danger_now"))
    name, prediction = predict(policy, domain, t)
    assert name == "action_escalate" and not prediction.events  # recorded once per message
    t.update(ActionExecuted("action_escalate"))
    t.update(ActionExecuted("utter_ask_talk_to_duty_worker"))
    assert predict(policy, domain, t)[0] == "action_listen"


def test_ordinary_messages_are_left_to_the_rules_and_nothing_is_recorded(policy, domain):
    t = tracker(domain, said("what is grooming", "m1", "ask_grooming"))
    name, prediction = predict(policy, domain, t)
    assert name is None and prediction.max_confidence == 0
    assert prediction.events == []  # a decision is recorded only when there is one


def test_a_decision_is_recorded_again_only_when_it_changes(policy, domain):
    t = tracker(domain, said("my bf is way older than me", "m1"))
    [first] = predict(policy, domain, t)[1].events
    t.update(first)
    t.update(ActionExecuted("utter_check_gentle"))
    t.update(ActionExecuted("action_listen"))
    t.update(said("what is grooming", "m2", "ask_grooming"))
    assert predict(policy, domain, t)[1].events == []  # still the same decision
    t.update(ActionExecuted("utter_grooming"))
    t.update(ActionExecuted("action_listen"))
    t.update(said("he says its our secret and asks for pics", "m3"))
    [again] = predict(policy, domain, t)[1].events
    assert again.value["route"] == "disclosure"


def test_the_conversation_reader_knows_what_was_already_done(domain):
    t = tracker(
        domain,
        said("they make me sleep with men for weed", "m1"),
        SlotSet("safety", {"route": "disclosure", "priority": 2}),
        ActionExecuted("utter_disclosure_believe"),
        ActionExecuted("action_escalate"),
        ActionExecuted("action_listen"),
        said("ok", "m2"),
    )
    conversation = read_conversation(t.events)
    assert conversation.done.escalated == 2
    assert conversation.message_ids == ["m1", "m2"]
    assert conversation.turns[1].after == "utter_disclosure_believe"
    assert latest_turn(list(t.events))[1] == []  # nothing done since the latest message


def test_an_alarm_raised_again_after_a_withdrawal_is_escalated_again(domain):
    t = tracker(
        domain,
        said("he hurts me", "m1"),
        SlotSet("safety", {"route": "disclosure", "priority": 2}),
        ActionExecuted("utter_disclosure_believe"),
        ActionExecuted("action_escalate"),
        ActionExecuted("action_listen"),
        said("oh wait", "m2"),
        ActionExecuted("action_withdraw_escalation"),
        ActionExecuted("action_listen"),
        said("he hits me with his belt", "m3"),
    )
    conversation = read_conversation(t.events)
    assert conversation.done.escalated is None
    assessment, plan = conversation.decide(None)
    assert assessment.escalates and "action_escalate" in plan
