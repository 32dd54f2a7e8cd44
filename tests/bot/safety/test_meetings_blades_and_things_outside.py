"""Children gone to meet someone, blades and urges, and the everyday things that explain alarms.

From fresh tuning sets written by separate authors (English conversations ``oo``, Welsh
conversations ``bb``, Welsh single messages ``hh``, 2026-12-08); the cases here are reworded so
they test the reading, not the set. Each message is read by the reviewed patterns alone (no
content model).
"""

import pytest

from bot.safety.routes import Priority, Route
from bot.safety.welsh import normalise_welsh
from tests.bot.safety.test_assessment import decide, indicators_of
from tests.bot.safety.test_deadlines_threats_and_ways_out import decide_welsh
from tests.bot.safety.test_welsh_patterns import indicators
from tests.bot.safety.test_withdrawal import assess_conversation, conversation


@pytest.mark.parametrize(
    "text",
    [
        "my cousin is 14 and she has gone to meet a man off tiktok, he is 31",
        "mae fy chwaer 13 oed newydd fynd i gwrdd â dyn 28 oed o snapchat",
        "mae fy mab 13 wedi mynd allan efo dyn yn ei 40au sy'n rhoi fodca iddo fo",
    ],
)
def test_a_child_gone_to_meet_an_adult_is_danger_now(text):
    decision = decide_welsh(text) if "mae" in text else decide(text)
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER), text


def test_a_meeting_that_was_last_week_is_not_read_as_now():
    assert "now" not in indicators_of("my daughter went to meet him last week")


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("dwi'n y bath efo rasal", "suicidal"),
        ("i am in the bath with a blade", "suicidal"),
        ("dwi heb dorri ers mis ond heno dwi isio", "self_harm"),
        ("ro'n i'n arfer torri fy hun", "self_harm"),
        ("dwi di llyncu popeth oedd yn y cwpwrdd", "overdose"),
        ("nath hi gymryd 30 o dabledi", "overdose"),
        ("mae gynno fo friwiau newydd ar ei fraich", "self_harm"),
    ],
)
def test_welsh_self_harm_in_these_words_is_read(text, indicator):
    assert indicator in indicators(text) | indicators_of(text), text


@pytest.mark.parametrize(
    "text",
    [
        "the cover teacher keeps asking if im single, im 13",
        "mae'r athro cyflenwi yn gofyn os dwi'n sengl, dwi'n 13",
        "a boy from a game sent me a pic of his... you know. im 12",
        "dyn drws nesa'n rhoi pres i ni i ddod i'w dŷ a thynnu'n topiau",
        "mae'r hyfforddwr yn rhoi ei law ar fy nghoes i ac yn deud mai cyfrinach ydi o",
    ],
)
def test_an_adult_crossing_a_line_with_a_child_is_a_disclosure(text):
    welsh = any(word in text.split() for word in ("mae'r", "dyn"))
    decision = decide_welsh(text) if welsh else decide(text)
    assert decision.route is Route.DISCLOSURE, text


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("a courier left a box on the doorstep and i dont know who it's for", "known_visitor"),
        ("mae rhywun di gadael bocs tu allan i'r drws", "known_visitor"),
        ("my sister cut my fringe and i wanna die lol", "figurative"),
        ("im hiding in my room cos i smashed the tv", "mishap"),
        ("dwi di torri ffenest y gegin", "mishap"),
        ("be mae 'grooming' yn feddwl", "just_asking"),
        ("it's just the man reading the gas meter", "known_visitor"),
        ("we legged it from cross country", "house_rule"),
        ("mae taid yn mynd a fi i ymarfer rygbi", "family_care"),
        ("my dad is taking me to football training", "family_care"),
        ("our dog has been barking outside the back door all night", "figurative"),
        ("mae'r ci drws nesa'n fy nilyn i i'r ysgol", "figurative"),
        ("dad locked the keys in the car again", "mishap"),
        ("her foot is stuck between the railings", "mishap"),
        ("mae'r lifft yn sownd eto", "mishap"),
        ("she read out my diary to the whole class, i wanted to die", "figurative"),
        ("a man outside is fixing the street light", "known_visitor"),
        ("mae dyn tu allan yn peintio'r ffens", "known_visitor"),
    ],
)
def test_everyday_explanations_are_read(text, indicator):
    assert indicator in indicators(text) | indicators_of(text), text


def test_wanting_to_die_with_nothing_laughing_it_off_is_still_self_harm():
    assert decide("i want to die").route is Route.SELF_HARM
    assert decide("i took 20 pills and want to die lol").route is Route.SELF_HARM


def test_harm_told_beside_an_embarrassment_is_not_a_figure_of_speech():
    decision = decide("in front of the whole class he grabbed my bum and i wanted to die")
    assert decision.escalates
    assert "figurative" not in indicators_of("after what he did to me i wanted to die")


def test_something_broken_by_someone_else_is_not_a_mishap():
    assert "mishap" not in indicators_of("he smashed my phone so i cant call anyone")
    assert "mishap" not in indicators("mae o wedi malu fy ffôn i")


def test_being_locked_in_by_someone_or_locking_oneself_away_is_not_a_mishap():
    assert "mishap" not in indicators_of("he locked me in his flat and took my phone")
    assert "mishap" not in indicators_of("she has locked herself in the bathroom at his house")
    assert "mishap" not in indicators("dwi di cloi fy hun yn y bathrwm, mae o'n cicio'r drws")


def test_who_a_man_is_by_his_job_does_not_explain_what_he_does():
    assert "known_visitor" not in indicators("y dyn ma hi'n glanhau iddo fo yn talu mwy")
    assert "known_visitor" not in indicators("boi'r fan hufen ia di bod yn hala snaps i fi")


def test_a_lift_to_a_party_a_house_or_from_school_is_not_explained_away():
    assert "family_care" not in indicators_of("he is taking me to a party at his house")
    assert "family_care" not in indicators_of("the driver who takes me to school touches my leg")
    assert "family_care" not in indicators("mae o'n ei nol hi o'r ysgol bob dydd")


def test_hiding_in_the_toilets_is_not_explained_away_as_a_lesson():
    assert "house_rule" not in indicators_of("there is a man outside, im hiding in the toilets")
    assert "house_rule" in indicators_of("i ran away from pe and hid from sir")


def test_wanting_to_die_laughed_off_and_then_meant_is_still_self_harm():
    assert decide("i want to die lol but like actually").route is Route.SELF_HARM


def test_a_welsh_grandparent_written_with_a_hyphen_or_a_space_is_one_word():
    assert normalise_welsh("Tad-cu a mam gu") == "tadcu a mamgu"


def test_a_stranger_who_turns_out_to_read_the_meter_is_taken_back():
    opener = "there is a man outside looking in our window"
    scores = {opener: {"danger": 0.99, "now": 0.99}}  # what the content model said (measured)
    turns = conversation(opener, "oh its the man reading the meter, mum let him in", scores=scores)
    assert assess_conversation(turns[:1]).escalates
    assert not assess_conversation(turns).escalates
