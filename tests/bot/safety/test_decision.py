import re

from bot.content.catalogue import load_catalogue
from bot.safety.decision import combined_scores, decide, is_general_question
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
    assert route("im safe rn but my ex has my nudes and keeps threatening to post them") == (
        "disclosure"
    )


def test_negation_and_questions_do_not_escalate():
    assert route("i am not in danger, just asking what county lines is") == "none"
    assert route("what is grooming?") == "none"
    assert route("what should i do if my child goes missing") == "none"
    # saying nothing is happening asks more of the classifier (a pattern still counts)
    assert route("what if someone follows you? nobody is following me", {"danger": 0.6}) == "none"


def test_the_classifier_raises_routes_no_pattern_foresaw():
    assert route("something bad", {"danger": 0.6}) == "danger"
    assert route("something bad", {"disclosure": 0.5}) == "disclosure"
    # together likely enough to escalate: as whichever of the two leads
    assert route("something bad", {"danger": 0.2, "disclosure": 0.35}) == "disclosure"
    assert route("something bad", {"danger": 0.35, "disclosure": 0.2}) == "danger"
    # leaning towards a safety route without being sure: ask, do not guess
    assert route("something", {"disclosure": 0.38}) == "check"
    assert route("something", {"disclosure": 0.3}) == "none"


def test_general_questions_need_more_classifier_confidence():
    assert is_general_question(normalise("what is sextortion"))
    assert not is_general_question(normalise("what do i do he has my pics"))
    assert route("what is sextortion", {"disclosure": 0.5}) == "none"


def test_the_higher_of_the_two_classifiers_counts_for_each_route():
    scores = combined_scores(
        {"danger": 0.2, "disclosure": 0.7, "concern": 0.1, "check": 0.0},
        {"report_danger": 0.5, "disclose_abuse": 0.1, "greet": 0.4},
    )
    assert scores == {"danger": 0.5, "disclosure": 0.7, "concern": 0.1, "check": 0.0}
