"""Who the person says they are: set by an introduction, never by a message that tells harm."""

import pytest

from bot.audience import introduced_audience
from bot.content.catalogue import load_catalogue
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet
from bot.safety.signals import read_signals

PATTERNS = PatternSet(load_catalogue().safety_patterns)


def parsed(text, intent, confidence, scores=None):
    """Parse data as the NLU pipeline leaves it: the intent and the safety net's signals."""
    normalised = normalise(text)
    signals = read_signals(
        normalised, PATTERNS.matches(normalised), scores or {}, "en", len(text.split())
    )
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "safety": {"signals": signals.as_dict()},
    }


@pytest.mark.parametrize(
    "text, intent, audience",
    [
        ("im a taxi driver", "identify_business", "business"),
        ("I'm a teacher", "identify_professional", "professional"),
        ("im a mum", "identify_parent", "parent"),
        ("im worried about my daughter", "express_worry_own_child", "parent"),
        ("im 14", "identify_young_person", "young_person"),
    ],
)
def test_a_clear_introduction_sets_the_audience(text, intent, audience):
    assert introduced_audience(parsed(text, intent, 0.95)) == audience


def test_a_guessed_introduction_does_not():
    # the intent classifier's best guess for a Welsh child's first line about a party
    assert (
        introduced_audience(parsed("o'n i mewn parti mis dwytha", "identify_business", 0.32))
        is None
    )


@pytest.mark.parametrize(
    "text, scores",
    [
        # harm named by the reviewed patterns
        ("im a taxi driver and a man made me have sex with him", {}),
        # the route classifier sure it is self-harm (a Welsh line it mistook for a job)
        ("weithia dwi'n meddwl sa pawb yn well hebdda fi", {"self_harm": 0.98}),
    ],
)
def test_a_message_that_tells_harm_is_not_an_introduction(text, scores):
    assert introduced_audience(parsed(text, "identify_professional", 0.96, scores)) is None


def test_other_intents_are_not_introductions():
    assert introduced_audience(parsed("what is cse", "ask_what_is_cse", 0.99)) is None
    assert introduced_audience(None) is None
