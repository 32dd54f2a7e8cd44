"""Harms told as plain facts that fresh tuning sets found the patterns missing (2026-12-07).

A child told to bring another girl to "the flat" or they would share "what i did" was read as
nothing; a child's "make me do the thing with my mouth", "woke up with my jeans down" and "puts
his hand where it shouldn't be" were left to the content model or missed; a residential worker's
"swallowed batteries" was not self-harm; "got 1 hour to pay or he sends my nudes" and "by 5 its
going in the gc" had no deadline; and "he's doing it again now" about a man in a gym office was
read as self-harm. In Welsh: "sa i'n saff", "blacmelio mêt fi", carrying "rhwbath iddyn nhw",
"boi yn cadw hi yna", "rhoi ei law lle dydy o ddim fod", "jympio o flaen tren", a letter to mum
and "dwi'n gwbod be dwi am neud", "deffro ... a'n jeans i lawr", "bo fi ddim i ddeud wrth dad"
and "ffrind i'w brawd sy'n 26". Read as the reviewed patterns read them (no classifier).
"""

import pytest

from bot.safety.routes import Route
from tests.bot.safety.test_assessment import decide, indicators_of
from tests.bot.safety.test_welsh_patterns import indicators


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("they want me to bring another girl from my year to the flat", "sexual_exploitation"),
        ("he told me to bring my mate to the hotel", "sexual_exploitation"),
        ("or theyll share what i did", "threat"),
        ("my brothers friends make me do the thing with my mouth", "sexual_abuse"),
        ("he puts his thing in my mouth", "sexual_abuse"),
        ("i woke up in his room with my jeans down", "sexual_abuse"),
        ("my grandad puts his hand where it shouldnt be", "sexual_abuse"),
        ("YP has swallowed batteries and won't tell us how many", "overdose"),
        ("ive written a letter to my mum and i know what im going to do", "suicidal"),
        ("got 1 hour to pay or he sends my nudes to my dad", "imminent"),
        ("if i dont send £50 by 5 its going in the year 10 gc", "imminent"),
        ("the man who runs the gym keeps shutting the office door with me in it", "unease"),
    ],
)
def test_harms_told_as_facts(text, indicator):
    assert indicator in indicators_of(text), text


@pytest.mark.parametrize(
    "text",
    [
        "my mum wants me to bring a friend to the party",
        "we did the thing with my mouth guard at rugby",
        "my little sister swallowed a penny",
        "i wrote a letter to my mum for mothers day",
        "he shut the door with the dog in it",
    ],
)
def test_the_same_words_in_ordinary_life_are_not_harm(text):
    found = indicators_of(text)
    assert not {"sexual_exploitation", "sexual_abuse", "overdose", "suicidal", "unease"} & found


def test_a_man_doing_it_again_now_is_not_self_harm():
    assessment = decide(
        "im 14 and the man who runs the gym keeps shutting the office door with me in it "
        "and hes doing it again now"
    )
    assert assessment.escalates and assessment.route is not Route.SELF_HARM
    assert "self_harm" in indicators_of("my friend is doing it again, she showed me her arm")


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("sa i'n saff. ma fe nol", "unsafe_now"),
        ("ma boi yn blacmelio mêt fi", "sextortion"),
        ("dwi'n meddwl bod hi'n cario rhwbath iddyn nhw", "criminal_exploitation"),
        ("boi yn cadw hi yna a rhoi coke iddi", "held"),
        ("ma fo'n rhoi ei law lle dydy o ddim fod", "sexual_abuse"),
        ("i keep thinking am jympio o flaen tren", "suicidal"),
        ("dwi di sgwennu llythyr i mam a dwi'n gwbod be dwi am neud", "suicidal"),
        ("nes i ddeffro yn y llofft efo fo a'n jeans i lawr", "sexual_abuse"),
        ("bo ni'n mynd i'w dy fo gynta heno a bo fi ddim i ddeud wrth dad", "secrecy"),
        ("mai'r tad yw ffrind i'w brawd sy'n 26", "other_age"),
    ],
)
def test_welsh_harms_told_as_facts(text, indicator):
    assert indicator in indicators(text), text


@pytest.mark.parametrize(
    "text",
    [
        "ma fe'n cadw hi yn y garej",
        "dwi'n cario bagie siopa i nain",
        "nes i sgwennu llythyr i mam ar ei phen-blwydd",
    ],
)
def test_welsh_ordinary_life_is_not_harm(text):
    found = indicators(text)
    assert not {"held", "criminal_exploitation", "suicidal"} & found, text


@pytest.mark.parametrize(
    "text",
    ["ma hi newydd yrru llun o'r bus stop yn y dre", "ma hi newydd adal am ei shifft"],
)
def test_welsh_just_now_is_now_as_in_english(text):
    assert "now" in indicators(text), text


def test_welsh_just_come_home_ends_a_worry_rather_than_starting_one():
    assert "now" not in indicators("mae o newydd ddod adre, roedd o yn y neuadd")


def test_a_disclosure_told_at_home_time_is_not_happening_at_home_time():
    assessment = decide(
        "Then at home time she said 'my brother's friends make me do the thing with my mouth'"
    )
    assert (assessment.route, assessment.priority) == (Route.DISCLOSURE, 2)


def test_a_welsh_childs_words_told_by_a_parent_are_about_the_child():
    text = "mae fy merch newydd ddweud wrtha i bod taid yn cyffwrdd fi"
    assert "reported_speech" in indicators(text)


def test_a_parent_quoting_their_child_gets_a_decision_about_their_child():
    assessment = decide("my daughter just told me 'grandad touches me'")
    assert assessment.escalates and assessment.subject.value == "own_child"
