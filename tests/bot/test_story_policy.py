"""The story policy: after an escalation, statements are acknowledged and questions answered."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.routes import ESCALATION_REFERENCE_SLOT
from bot.story_policy import StoryGoesOnPolicy, asks_something, tells_more
from bot.training import build_domain


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(build_domain()))


@pytest.fixture()
def policy(tmp_path):
    return StoryGoesOnPolicy.create(
        StoryGoesOnPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("story_policy"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def tracker(domain, text, intent, *, escalated=True, before=()):
    events = [SessionStarted(), ActionExecuted("action_listen")]
    if escalated:
        events.append(SlotSet(ESCALATION_REFERENCE_SLOT, "DTYU-ST5Z"))
    events += [*before, UserUttered(text, {"name": intent, "confidence": 0.99})]
    return DialogueStateTracker.from_events("person", events, domain.slots)


def predicted(policy, domain, t):
    prediction = policy.predict_action_probabilities(t, domain)
    if not prediction.max_confidence:
        return None
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return domain.action_names_or_texts[best]


@pytest.mark.parametrize(
    "text",
    [
        "we were both 15 when i sent them hes 16 now",
        "he said everyone would see them",
        "when he comes round i hide in my room",
        "am 14 and hes 20",
        "dont tell my mum",
        "Roedd o'n 19 a fi'n 14",
    ],
)
def test_a_statement_asks_nothing(text):
    assert not asks_something(text)


@pytest.mark.parametrize(
    "text",
    [
        "what happens now",
        "ok so what do i do",
        "can the police make him delete them",
        "r u still there",
        "is it illegal",
        "i dont know what to do",
        "tell me where to go",
        "he is 19. is that allowed?",
        "Beth sy'n digwydd nesa",
        "Alla i siarad efo rhywun",
        "dw i isio gwybod os ydy o'n anghyfreithlon",
    ],
)
def test_a_question_or_a_request_asks_something(text):
    assert asks_something(text)


def test_only_information_topics_told_as_a_statement_are_more_of_the_story():
    statement = "we were both 15 when i sent them"
    assert tells_more("ask_calling_police", statement)
    assert tells_more("out_of_scope", statement)
    assert not tells_more("ask_calling_police", "how do i call the police")
    for intent in ("ask_talk_to_person", "ask_is_it_my_fault", "affirm", "greet", None):
        assert not tells_more(intent, statement)


def test_after_an_escalation_a_statement_placed_in_a_topic_is_acknowledged(policy, domain):
    t = tracker(domain, "we were both 15 when i sent them hes 16 now", "ask_calling_police")
    assert predicted(policy, domain, t) == "action_not_understood"


def test_a_question_after_an_escalation_gets_its_answer(policy, domain):
    t = tracker(domain, "can i call the police about it", "ask_calling_police")
    assert predicted(policy, domain, t) is None


def test_without_an_escalation_the_topics_answer_as_usual(policy, domain):
    t = tracker(domain, "he said everyone would see them", "ask_privacy", escalated=False)
    assert predicted(policy, domain, t) is None
    t = tracker(domain, "he said everyone would see them", "ask_online_blackmail", escalated=False)
    assert predicted(policy, domain, t) is None


def test_only_the_first_step_of_a_turn_and_never_inside_a_form(policy, domain):
    t = tracker(domain, "we were both 15 when i sent them", "ask_consent")
    t.update(ActionExecuted("action_not_understood"))
    assert predicted(policy, domain, t) is None
    form = [ActiveLoop("warning_sign_checker_form"), ActionExecuted("action_listen")]
    t = tracker(domain, "we were both 15 when i sent them", "ask_consent", before=form)
    assert predicted(policy, domain, t) is None
