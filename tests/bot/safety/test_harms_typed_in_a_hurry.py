"""Harms that fresh tuning sets on online harm and hurried Welsh found missing (2026-12-07).

English: a countdown before a video goes to a class; "theyd send the vid to my mum if i dont
pay"; "until 10pm to send another one or he posts the old ones"; "wants £500 in bitcoin by
midnight or she sends it"; a screenshot of a child's followers; "a friend from Discord" and
"someone she met on Roblox"; a middle-aged man; "omw to meet him"; "its 5.30" beside a deadline;
men checking in with girls "who look about 14" and "out of it". A child gone to meet someone
from an app and not back is missing with a known risk; a game's violence ("my character got
stabbed in roblox") is a story.

Welsh: a car "di bod yn dilyn fi", "heno fi'n 14" inside a message, "tynnu lluniau ohona i", a
man "yn cyffwrdd coes fi", a threat to burn the house "os dwi'n deud wrth rywun", "dal ddim
adra", scratching arms with a compass, "gen i'r rhaff ... yn barod", "neb yn mynd i golli fi",
drinking bleach, "county lines ... gario", "screenshot o followers fi", "1 awr i dalu",
"faint o dabledi ... i beidio deffro", and "methu siarad" (cannot talk) with someone there. A
Welsh question word opening a message made it a general question even when it was the writer's
own ("beth ddylwn i neud, ma boi yn blacmelio fi"): now only without the first person, as in
English. Read as the reviewed patterns read them (no classifier).
"""

import pytest

from bot.safety.routes import Priority, Route
from tests.bot.safety.test_assessment import decide, decide_scored, indicators_of
from tests.bot.safety.test_welsh_patterns import indicators


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("2 mins left till she posts the video to my year group", "sextortion"),
        ("hes doing a countdown on insta and then he sends the pics", "sextortion"),
        ("he said hed post the pics on my story if i dont pay him", "sextortion"),
        ("she has until 9pm to send another one or he shares the rest", "sextortion"),
        ("they want £300 in gift cards by tonight or he sends it to her mum", "sextortion"),
        ("pay up or she posts them online", "sextortion"),
        ("he screenshotted my followers list and says pay", "sextortion"),
        ("its 8 45 and he said 9", "imminent"),
        ("she went to meet a friend from roblox after school", "met_online"),
        ("gifts from someone she met on tiktok", "met_online"),
        ("a middle aged man keeps chatting to the girls at the bus stop", "older_person"),
        ("omw to meet him", "meet_up"),
        ("omw to meet him", "imminent"),
        ("on her way to his flat now", "imminent"),
        ("a clip of me is on some website now", "images_spread"),
    ],
)
def test_online_harms_told_in_few_words(text, indicator):
    assert indicator in indicators_of(text), text


@pytest.mark.parametrize(
    "text",
    [
        "2 mins left till the bell goes",
        "my mum posts the pics from the party on facebook",
        "my mum sends me pictures of the dog all day",
        "my grandad is middle aged in his head lol",
        "on my way to meet my mum at the shops",
        "on my way to his house, hes my bf were both 15",
        "its 8 45 and im still in bed",
        "there is a picture of me on the school website from sports day",
    ],
)
def test_everyday_online_life_is_not_harm(text):
    found = indicators_of(text)
    assert not {"sextortion", "images_spread", "older_person"} & found, text
    assert not decide(text).escalates, text


def test_a_childs_game_violence_is_a_story():
    assert "fiction" in indicators_of("my avatar keeps getting shot in fortnite")
    assert not decide("my character got stabbed in minecraft and i lost everything").escalates


def test_a_child_gone_to_meet_someone_from_a_game_and_not_back_is_danger():
    assessment = decide(
        "my son went to meet a friend from fortnite at 3, he should have been home by 6 "
        "and his phone is off, nobody knows where he is"
    )
    assert assessment.route is Route.DANGER and assessment.priority is Priority.DANGER
    assert not decide("my son is at his friends house playing fortnite till 6").escalates


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("fan wen di bod yn dilyn fi ers y bus stop", "stalked_now"),
        ("isio fi fynd draw heno fi'n 13 ma fo'n 30", "writer_age"),
        ("ma nhw'n tynnu lluniau ohona i", "image_request"),
        ("boi ar y bws yn cyffwrdd clun fi", "sexual_abuse"),
        ("nath o deimlo fi yn y car", "sexual_abuse"),
        ("os dwi'n deud wrth mam bod nhw'n brifo ni", "threat_to_life"),
        ("chwaer fi dal ddim adra ers neithiwr", "missing_now"),
        ("crafu mreichiau efo siswrn eto", "self_harm"),
        ("ma gen i raff yn barod heno", "suicidal_thoughts"),
        ("neb yn mynd i weld isio fi", "suicidal_thoughts"),
        ("newydd yfed bleach", "overdose"),
        ("county lines ma nhw isio fi werthu", "criminal_exploitation"),
        ("mae o di gyrru screenshot o followers fi", "sextortion"),
        ("2 awr i dalu", "imminent"),
        ("boi o'r app", "met_online"),
        ("ffili siarad ma nhw yn y ty", "help_now"),
        ("yn ei fflat o, methu siarad", "help_now"),
    ],
)
def test_welsh_harms_typed_in_a_hurry(text, indicator):
    assert indicator in indicators(text), text


@pytest.mark.parametrize(
    "text",
    [
        "ci ni di bod yn dilyn fi rownd y ty",
        "fi'n 14 munud yn hwyr i'r wers",
        "tynnu lluniau o'r defaid",
        "cyffwrdd coes y bwrdd",
        "dal ddim adra, bws yn hwyr",
        "gen i rhaff i'r ceffyl",
        "ma gen i screenshot o'r gem",
        "oes rhywun y galla i siarad efo nhw? dwi'n teimlo ei fod o braidd yn llym",
        "dwi'n teimlo hi'n anodd efo gwaith cartref",
        "methu siarad am y peth efo mam",
        "sori methu siarad rwan ma mam yn galw",
    ],
)
def test_welsh_ordinary_life_in_the_same_words_is_not_harm(text):
    found = indicators(text)
    harms = {
        "stalked_now",
        "sexual_abuse",
        "self_harm",
        "suicidal_thoughts",
        "sextortion",
        "help_now",
    }
    assert not harms & found, text
    assert "missing_now" not in found, text


def test_men_checking_in_with_girls_who_look_fourteen_and_out_of_it_is_danger():
    assessment = decide(
        "night porter: two men just checked in with 3 girls who look about 14, "
        "the girls are totally out of it"
    )
    assert assessment.route is Route.DANGER and assessment.priority is Priority.DANGER
    assert "substances" not in indicators_of("im so out of it today, no sleep")


@pytest.mark.parametrize(
    "text",
    [
        "beth ddylwn i neud, ma boi yn blacmelio fi",
        "be ddylwn i neud ma fe'n bygwth fy lladd i",
        "sut dwi'n deud wrth mam bod yncl yn neud petha i fi",
    ],
)
def test_a_welsh_question_about_the_writers_own_situation_is_not_a_general_question(text):
    assert decide(text).escalates, text


@pytest.mark.parametrize(
    "text", ["beth ydy camfanteisio rhywiol", "sut mae riportio cam-drin", "ble mae cael help"]
)
def test_a_welsh_general_question_is_still_only_a_question(text):
    assert not decide(text).escalates, text


def test_how_many_tablets_not_to_wake_up_in_welsh_is_self_harm():
    assert decide("faint o dabledi sy angen i beidio deffro").route is Route.SELF_HARM
    assert not decide("faint o dabledi paracetamol sy'n saff am gur pen").escalates


def test_a_harm_the_content_model_is_sure_of_told_as_right_now_is_danger():
    # what a content model that splits "now" reads of such a message (the timing model unsure)
    sure = {"disclosure": 0.78, "danger": 0.2, "now": 0.29}
    now = decide_scored("they are taking pictures of me in the flat right now", sure)
    assert (now.route, now.priority) == (Route.DANGER, Priority.DANGER)
    told = decide_scored("they are taking pictures of me in the flat", sure)
    assert (told.route, told.priority) == (Route.DISCLOSURE, Priority.DISCLOSURE)
    unsure = {"disclosure": 0.45, "now": 0.29}
    assert decide_scored("they are taking pictures of me right now", unsure).priority is not (
        Priority.DANGER
    )
