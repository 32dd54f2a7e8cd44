"""Affection that is not abuse, and what crosses the line: a kiss goodnight or on the cheek, a
quick way to die asked for, a deadline on a video, rubbing against a child, a photo up a skirt.

Each was missed or misread in a tuning set written by a separate author (sets ``o``, ``bb``,
Welsh ``x`` and ``n``, 2026-12-06); the cases here are reworded so they test the reading, not the
set.
"""

from dataclasses import replace

import pytest

from bot.safety.assessment import assess
from bot.safety.routes import Priority, Route
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import decide, indicators_of, turn
from tests.bot.safety.test_deadlines_threats_and_ways_out import decide_welsh, welsh_turn
from tests.bot.safety.test_welsh_patterns import indicators


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("whats the easiest way to kill myself", "suicidal_thoughts"),
        ("painless ways to end it", "suicidal_thoughts"),
        ("theyve given me 2 hours or my pics go to my whole school", "sextortion"),
        ("30 mins or else", "imminent"),
        ("my manager keeps pressing himself up against me in the stockroom", "sexual_abuse"),
        ("some boy took a pic up her skirt on the stairs", "image_abuse"),
        ("he airdropped the pics to the whole bus", "image_abuse"),
    ],
)
def test_an_english_message_shows_what_it_tells(text, indicator):
    assert indicator in indicators_of(text)


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("be di'r ffordd hawsa i ladd fy hun", "suicidal_thoughts"),
        ("nath fy hyfforddwr nghusanu i ar ôl y gêm", "sexual_contact"),
        ("tro dwetha nath o nghyffwrdd i", "sexual_abuse"),
        ("mae o'n rhwbio ei hun yn fy erbyn i yn y gegin", "sexual_abuse"),
        ("nath o roi ei law lawr fy siorts i", "sexual_abuse"),
        ("nath rhywun dynnu llun ohona i yn y stafell newid", "image_abuse"),
        ("nath yncl Dewi ddeud wrtha i am beidio deud", "trusted_adult"),
        ("ma hi'n disgwyl babi", "sexual_contact"),
        ("ma hi di symud mewn efo'i chariad", "relationship"),
    ],
)
def test_a_welsh_message_shows_what_it_tells(text, indicator):
    assert indicator in indicators(text)


@pytest.mark.parametrize(
    "text",
    [
        "my grandad kissed me goodnight",
        "my uncle gave me a kiss on the cheek at the wedding",
        "auntie kissed me on the forehead when she left",
    ],
)
def test_a_kiss_of_affection_from_family_is_not_a_disclosure(text):
    assert "sexual_contact" not in indicators_of(text)
    assert not decide(text).escalates


def test_a_kiss_from_a_relative_that_is_not_affection_is_still_a_disclosure():
    decision = decide("my uncle kissed me with his tongue and im 12")
    assert decision.route is Route.DISCLOSURE


def test_a_welsh_kiss_on_the_cheek_is_affection_and_a_kiss_from_an_uncle_is_not():
    assert "sexual_contact" not in indicators("nath nain roi sws ar fy moch i")
    assert not decide_welsh("nath nain roi sws ar fy moch i").escalates
    assert decide_welsh("nath yncl Dewi nghusanu i efo tafod").route is Route.DISCLOSURE


def test_asking_for_a_quick_way_to_die_needs_someone_but_not_in_a_game():
    assert decide("whats the quickest way to die").route is Route.SELF_HARM
    assert decide("whats the fastest way to die", "its for me").route is Route.SELF_HARM
    assert decide("whats the fastest way to die in minecraft").route is Route.NONE


def test_a_deadline_on_sharing_a_video_is_danger_now():
    decision = decide("they said 1 hour or my video goes to all my family")
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)


def test_gifts_told_after_a_child_missing_tonight_add_to_the_alarm_not_take_it_back():
    missing = "our 13 year old has not come home tonight and is not answering"
    gifts = "last time she came back with a new phone and trainers and wouldnt say who from"
    # what the content model said (measured on the trained model): danger for the message
    # alone, and far less sure once the follow-up dilutes it
    first = turn(missing, {"danger": 0.55, "now": 0.98})
    joined = turn(f"{missing} {gifts}", {"concern": 0.9}).signals
    decision = assess_conversation([first, replace(turn(gifts), joined=joined)])
    assert not decision.withdrawn
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)


def test_the_writer_waiting_outside_is_who_is_outside_and_the_rest_is_still_judged():
    in_the_car = "dwi'n aros yn y car tu allan i'r ysgol ers 10 munud"
    assert "present_threat" not in decide_welsh_signals(in_the_car)
    assert "known_visitor" not in indicators(in_the_car)
    assert "known_visitor" in indicators("ma dad yn aros yn y car tu allan")
    # what the content model said (measured on the trained model): a known visitor, as the
    # writer waiting had been read, kept it out and these escalated nothing
    for text in (
        "dwi'n aros tu allan i'r ysgol a ma na ddyn yn trio cael fi mewn i'w gar o rŵan",
        "dwi'n eistedd yn y car a ma'r drysau di cloi",
        "dwi'n aros yn y car tu allan i fflat o, ma fo isio fi ddod fyny rwan",
    ):
        decision = assess([welsh_turn(text, {"danger": 0.99, "now": 0.99})])
        assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER), text


def decide_welsh_signals(text: str) -> set[str]:
    return set(welsh_turn(text).signals.indicators)
