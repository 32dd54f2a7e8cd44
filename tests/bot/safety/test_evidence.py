"""What each turn contributes: evidence gathered across the conversation."""

from bot.content.catalogue import load_catalogue
from bot.safety.evidence import Turn, gather
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet
from bot.safety.signals import read_signals

PATTERNS = PatternSet(load_catalogue().safety_patterns)


def turn(text, scores=None):
    normalised = normalise(text)
    signals = read_signals(normalised, PATTERNS.matches(normalised), scores or {}, "en")
    return Turn(signals, text)


def test_facts_from_different_turns_are_kept_with_the_turn_they_came_from():
    evidence = gather([turn("im 13"), turn("hes 25"), turn("he says keep it our secret")], None)
    assert (evidence.writer_age, evidence.other_ages) == (13, [25])
    assert evidence.risk["secrecy"] == 2


def test_a_general_question_adds_no_harm_until_the_person_says_it_is_them():
    asked = [turn("what if my uncle touched me")]
    assert not gather(asked, None).harm
    assert gather([*asked, turn("its happening to me")], None).harm


def test_the_classifier_guess_on_a_feeling_or_a_place_alone_is_only_unsure():
    scared = gather([turn("im scared", {"danger": 0.9, "now": 0.9})], None)
    assert not scared.harm and scared.unsure_now == [0]
    told = gather([turn("he made me send nudes", {"disclosure": 0.9})], None)
    assert "classifier" in told.harm


def test_a_question_with_if_that_is_happening_right_now_adds_its_harm():
    now = "what do you do if someone is trying to get you in their car right now"
    assert "coerced" in gather([turn(now)], None).harm
    general = "what do you do if someone is trying to get you in their car"
    assert not gather([turn(general)], None).harm
