"""Harms and signs that fresh tuning sets found the patterns missing (2026-12-06).

A man who "made me and jacob get changed ... in front of him" for a nativity was read as a play
and taken back; a Welsh 13-year-old's "ma'r boi yn 22 ... fi ddim moyn i mam wbod" gave neither
the man's age nor the secret; carrying bags "from one house to another" for a man who pays was
not a run; nor was a mum's boyfriend trying to get into a 12-year-old's bed, a delivery man's talk
of a child's body, or his being "still on the drive", in either language. Read as the reviewed
patterns read them (no classifier).
"""

import pytest

from tests.bot.safety.test_assessment import decide, indicators_of
from tests.bot.safety.test_welsh_patterns import indicators


@pytest.mark.parametrize(
    "text",
    [
        "he made me get changed in front of him",
        "he made me and my brother strip off while he filmed",
        "the caretaker films us getting changed",
        "he took pics of us in the showers",
    ],
)
def test_made_to_undress_or_watched_undressing_is_sexual_abuse(text):
    assert "sexual_abuse" in indicators_of(text), text


@pytest.mark.parametrize(
    "text", ["my mum filmed us changing the tyre", "we got changed for the nativity in the hall"]
)
def test_changing_a_tyre_or_for_a_play_is_not(text):
    assert not {"sexual_abuse", "image_abuse"} & indicators_of(text), text


def test_being_told_not_to_tell_is_secrecy():
    assert "secrecy" in indicators_of("he took pics and said dont tell")
    for text in ("fi ddim moyn i mam wbod", "dwi ddim isio i dad gael gwybod"):
        assert "secrecy" in indicators(text), text


def test_a_welsh_man_given_with_his_age_is_another_persons_age():
    assert "other_age" in indicators("fi'n 13. ma'r boi yn 22")


@pytest.mark.parametrize(
    "text, read",
    [
        ("just taking bags from one house to another, a guy gives me £50", indicators_of),
        ("jyst mynd â bagie o un tŷ i'r llall, ma boi yn rhoi £50 i fi", indicators),
    ],
)
def test_carrying_bags_between_houses_for_pay_is_criminal_exploitation(text, read):
    assert "criminal_exploitation" in read(text)


def test_moving_house_is_not():
    text = "we were moving house so i carried bags from one house to another all day"
    assert "criminal_exploitation" not in indicators_of(text)


def test_the_northern_my_daughter_says_a_parent_wrote():
    assert {"writer_parent", "about_own_child"} <= indicators("mae'r ferch 'cw ddim adra")


@pytest.mark.parametrize(
    "text, read, expected",
    [
        ("her mums boyfriend tried to get into bed with her", indicators_of, "unease"),
        ("mae cariad ei mam wedi trio mynd i'r gwely gyda hi", indicators, "unease"),
        ("mae cariad ei mam wedi trio mynd i'r gwely gyda hi", indicators, "trusted_adult"),
        ("hes said things about my body before", indicators_of, "sexual_talk"),
        ("ma fe di gweud pethe am y corff fi o'r blaen", indicators, "sexual_talk"),
        ("hes still on the drive", indicators_of, "present_threat"),
        ("ma fe dal ar y dreif", indicators, "present_threat"),
        ("ma fe'n gweud dere mas i'r fan", indicators, "present_threat"),
    ],
)
def test_a_man_at_a_childs_bed_talk_of_her_body_and_him_still_outside_are_read(
    text, read, expected
):
    assert expected in read(text), text


def test_a_little_sister_climbing_into_bed_is_not_harm():
    # unease, a weak sign: with no adult in a position of trust it is not harm
    text = "my little sister tried to get into bed with me cos of the thunder"
    assert not decide(text).escalates
