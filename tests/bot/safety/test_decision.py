import re

from bot.content.catalogue import load_catalogue
from bot.safety.decision import decide, is_general_question
from bot.safety.normalise import normalise


def compiled():
    return [(p.id, p.route, re.compile(p.regex)) for p in load_catalogue().safety_patterns]


def route(text, confidences=None):
    return decide(normalise(text), confidences or {}, compiled()).route


def test_patterns_route_danger_disclosure_concern_and_check():
    assert route("im being forced to have sex and im only 12") == "danger"
    assert route("i want to kill myself") == "danger"
    assert route("my uncle touches me") == "disclosure"
    assert route("a man online has my nudes and is blackmailing me") == "disclosure"
    assert route("my daughter has a new phone and keeps going missing") == "concern"
    assert route("is it my fault") == "check"


def test_urgency_turns_a_disclosure_into_danger():
    assert route("they make me sleep with men for weed") == "disclosure"
    assert (
        route("they make me sleep with men for weed and theyre outside my house right now")
        == "danger"
    )


def test_negation_and_questions_do_not_escalate():
    assert route("i am not in danger, just asking what county lines is") == "none"
    assert route("what is grooming?") == "none"
    assert route("what should i do if my child goes missing") == "none"


def test_the_classifier_raises_routes_no_pattern_foresaw():
    assert route("something bad", {"report_danger": 0.6}) == "danger"
    assert route("something bad", {"disclose_abuse": 0.5}) == "disclosure"
    assert route("something bad", {"report_danger": 0.3, "disclose_abuse": 0.3}) == "disclosure"
    # leaning towards a safety intent without being sure: ask, do not guess
    assert route("something", {"disclose_abuse": 0.3, "greet": 0.2}) == "check"


def test_general_questions_need_more_classifier_confidence():
    assert is_general_question(normalise("what is sextortion"))
    assert not is_general_question(normalise("what do i do he has my pics"))
    assert route("what is sextortion", {"disclose_abuse": 0.5}) == "none"
