from pathlib import Path

import pytest

from bot.content.catalogue import load_catalogue
from bot.content.schema import ContentError
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet, parse_patterns

FILE = Path("patterns.yml")


def one(indicator, regex, **extra):
    return parse_patterns(
        {"patterns": [{"id": "p", "indicator": indicator, "regex": regex, **extra}]}, FILE
    )


def found(patterns, text):
    return {m.indicator for m in PatternSet(patterns).matches(normalise(text))}


def test_every_reviewed_pattern_compiles_with_re2_and_names_a_known_indicator():
    patterns = load_catalogue().safety_patterns
    assert len(patterns) > 100
    PatternSet(patterns)  # compiles every one


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            {"patterns": [{"id": "p", "indicator": "no_such_thing", "regex": "x"}]},
            "unknown indicator",
        ),
        ({"patterns": [{"id": "p", "indicator": "threat", "regex": "(a)\\1"}]}, "invalid regex"),
        ({"patterns": [{"id": "p", "indicator": "threat", "regex": "(?=a)b"}]}, "invalid regex"),
        (
            {"patterns": [{"id": "p", "indicator": "threat", "regex": "x", "route": "danger"}]},
            "unknown keys",
        ),
        ({"patterns": [{"indicator": "threat", "regex": "x"}]}, "unique id"),
        ({"items": []}, "patterns"),
    ],
)
def test_patterns_that_are_unclear_or_unsafe_to_run_are_refused(raw, message):
    # back-references and look-arounds are refused: RE2 matches in linear time or not at all
    with pytest.raises(ContentError, match=message):
        parse_patterns(raw, FILE)


def test_a_negation_just_before_what_happened_cancels_it():
    touched = one("sexual_abuse", r"\btouched me\b")
    assert found(touched, "he touched me") == {"sexual_abuse"}
    assert found(touched, "he never touched me") == set()
    assert found(touched, "nobody has touched me") == set()


def test_a_negation_before_a_new_clause_belongs_to_the_other_clause():
    held = one("held", r"\b(he|they) (has )?got her in (the|his) car\b")
    assert found(held, "need police now not a chatbot, hes got her in the car") == {"held"}
    touched = one("sexual_abuse", r"\btouched me\b")
    assert found(touched, "no he touched me") == set()  # no subject opens the match here


def test_how_a_message_is_framed_and_its_time_are_never_negated():
    asking = one("just_asking", r"\bjust asking\b")
    assert found(asking, "im not in danger just asking") == {"just_asking"}
    tonight = one("imminent", r"\btonight\b")
    assert found(tonight, "if i dont pay by tonight") == {"imminent"}


def test_what_comes_at_the_end_of_a_huge_message_is_still_read():
    patterns = PatternSet(load_catalogue().safety_patterns)
    text = normalise("please " * 6000 + "he is outside my house right now")
    assert {"present_threat", "now"} <= {m.indicator for m in patterns.matches(text)}
