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
        ("meeting him at maccies at 4, hes 26", "imminent"),
        ("on the bus to rhyl with a man i met on discord", "now"),
        ("he put summat in my drink i feel well weird", "spiked"),
        ("can u ring the police for me i cant speak", "unsafe_now"),
        ("im 15 hes 30 he booked a room for us tonight", "place_to_stay"),
        ("got told be ready at 4 theyll pick me up for the run", "criminal_exploitation"),
        ('"send another by 10 or the first one goes to your school"', "sextortion"),
        ("just watched a lad we work with, 13, get bundled into a car", "coerced"),
        ("my dads mate made me keep a secret about what he did", "secrecy"),
        ("cut again tonight and its deeper than usual", "self_harm"),
        ("ive written notes for everyone", "suicidal"),
        ("how many of my antidepressants would it take", "suicidal_thoughts"),
        ("keep thinking about stepping in front of a train on the way to school", "suicidal"),
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
        "can you call someone for me",
        "going for a run after school",
    ],
)
def test_the_same_words_in_ordinary_life_are_not_harm(text):
    found = indicators_of(text)
    harms = {"sexual_exploitation", "sexual_abuse", "overdose", "suicidal", "unease", "self_harm"}
    assert not harms & found, text


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
        ("ar y bws i rhyl efo dyn nes i gwrdd ar discord", "now"),
        ("nes i gymryd pacad cyfa o paracetamol hanner awr yn ol", "overdose"),
        ("Un o'r bechgyn yn y cartref wedi llyncu batris", "overdose"),
        ("sai moyn bod 'ma rhagor", "suicidal_thoughts"),
        ("sgen i ddim rheswm i fyw ers i'r llunia fynd rownd", "suicidal_thoughts"),
        ("dwi di sgwennu llythyr i mam a dad a dwi'n barod", "suicidal"),
        ("gorfod talu £200 erbyn 9 neu ma nhw'n sendio'r video i bawb", "sextortion"),
        ("gorfod talu £200 erbyn 9 neu ma nhw'n sendio'r video i bawb", "imminent"),
        ("di cael 1 awr i sendio mwy o lunia", "imminent"),
        ("bydd e'n hala'r llunie i'r group chat ysgol am 8 os sa i'n talu", "sextortion"),
        ("sai'n gwbod ble odw i, ma nhw di dreifo fi o gaerdydd", "lost_now"),
        ("dwi 15. mae o'n 30 a ma fo isio fi aros noson yn hotel heno", "place_to_stay"),
        ("dwi 15. mae o'n 30", "writer_age"),
        ("brawd fi 13 yn car efo'r hogia na sy'n dealio", "criminal_exploitation"),
        ("ma nhw'n gneud fi gadw'r cyllill a'r bagia yn ty nain", "criminal_exploitation"),
        ("nathon nhw ddeud wrtha fi gymryd y pils neu dwi'n cal cweir", "threat_to_life"),
        ("cariad ei mam yn chwarae gemau yn y gwely efo hi", "sexual_abuse"),
        ("mae hyfforddwr rygbi fi'n hala snaps ohono fe heb ddillad", "sexual_talk"),
        ("nath un ohonyn nhw ddod mewn i gwely fi nos sadwrn", "sexual_abuse"),
        ("ma'r ffarmwr yn cau drws y sied a gafael yna fi", "unease"),
        ("bydd e'n hala nhw i bawb yn yr ysgol os na fi'n talu £200", "sextortion"),
        ("Rhywun yn deud bod ganddyn nhw luniau ohoni ac isio £100 drwy PayPal", "sextortion"),
        ("ffrind fi di mynd i gwrdd a rhywun o snap. mae hin 12", "child_age"),
        ("merched ifanc iawn, dim mwy na 15", "child_age"),
        ("ffrind fi newydd yrru llun o'r bont a deud 'sori am bopeth'", "suicidal"),
        ("merched yn mynd i mewn ac allan trwy'r nos gyda dynion gwahanol", "child_with_adult"),
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
        "dwi'n barod am yr arholiad",
        "ma'r ci di llyncu hosan",
        "dwi'n mynd i'r gwely fi nawr",
    ],
)
def test_welsh_ordinary_life_is_not_harm(text):
    found = indicators(text)
    harms = {"held", "criminal_exploitation", "suicidal", "overdose", "sexual_abuse"}
    assert not harms & found, text


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


def test_a_time_to_meet_friends_is_still_only_a_word_of_time():
    assert decide("meeting up with my mates at the park at 4 then cinema").route is Route.NONE
