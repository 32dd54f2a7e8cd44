"""Markup is read as the text a person would see; what only looks like a tag stays as written."""

import pytest

from bot.content.catalogue import load_catalogue
from bot.safety.component import read_message
from bot.safety.markup import visible_text
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet


@pytest.mark.parametrize(
    "text, seen",
    [
        ('<img src=x onerror="alert(1)"><script>alert(2)</script> i am scared', "i am scared"),
        ("<svg/onload=alert(1)>help", "help"),
        ('<a href="javascript:alert(1)">click</a> me', "click me"),
        ("<style>p{}</style><b>he is outside</b>", "he is outside"),
        ("<x onclick=alert(1)>hi</x>", "hi"),  # an unknown tag with attribute values is markup
        ("<!-- note --> ok", "ok"),
        ("&lt;3 fish &amp; chips", "<3 fish & chips"),
    ],
)
def test_markup_is_read_as_its_visible_text(text, seen):
    assert " ".join(visible_text(text).split()) == seen


@pytest.mark.parametrize(
    "text",
    [
        "i <3 him",
        "age <16 and he is >30",
        "he said <come here> and grabbed me",  # words in angle brackets are words
        "hes 25 <im 14>",
        "i am <b",
        "no markup at all & nothing to read",
    ],
)
def test_what_only_looks_like_markup_stays_as_written(text):
    assert visible_text(text) == text


def test_a_script_never_closed_is_read_as_words():
    # the safety net fails towards the person: text after an unclosed tag is not hidden
    assert visible_text("<script>he is outside my house") == "he is outside my house"


@pytest.mark.parametrize("text", ["<![ x help me", "<![a- x] help me", "&#99999999999; help me"])
def test_malformed_markup_never_stops_the_reading(text):
    assert "help me" in visible_text(text)


def test_markup_does_not_count_as_words_the_person_wrote():
    patterns = PatternSet(load_catalogue().safety_patterns)
    payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> i am scared'
    signals = read_message(payload, normalise(payload), patterns, None, frozenset())
    plain = read_message("i am scared", normalise("i am scared"), patterns, None, frozenset())
    assert signals.words == plain.words == 3
    assert signals.indicators == plain.indicators
