"""Welsh threats to kill are read as the English ones are, and Welsh harms the tuning sets found
missing (2026-12-07, tuning set ``cy_safety_tuning_dd``; the cases here are reworded).

A Welsh "he will kill me" was read as a figure of speech whoever said it ("neith o fy lladd i",
"mae o'n mynd i ladd fi"), so a threat to a child's life was silenced. As in English, a figure of
speech now needs someone who says it in fun (a parent, a teacher, a brother, the boss, the writer
about someone else), or a reason that is a trifle ("am dorri ei bensil"); anyone else saying it is
a threat, which alone gets "are you safe right now?" and with harm is danger.
"""

import pytest

from bot.safety.routes import Priority, Route
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import indicators_of
from tests.bot.safety.test_deadlines_threats_and_ways_out import decide_welsh, welsh_turn
from tests.bot.safety.test_welsh_patterns import indicators
from tests.bot.safety.test_withdrawal import conversation


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("nath o ddeud neith o fy lladd i os dwi'n deud wrth rywun", "threat_to_life"),
        ("os dwi'n deud wrth neb neith o fy lladd i", "threat_to_life"),
        ("ma'r dyn yn gweiddi ei fod o am ei lladd hi", "kill_threat"),
        ("mae o'n mynd i ladd fi", "kill_threat"),
        ("ma fe'n bygwth fi ers wythnos", "threat"),
        ("dwi'n cael fy mygwth", "threat"),
        ("ma hi'n deud tan hanner nos neu ma'r llunia'n mynd ar snap", "sextortion"),
        ("rhaid talu erbyn canol nos", "imminent"),
        ("ma'i chariad hi'n 24", "other_age"),
        ("ei chariad 24 oed", "other_age"),
        ("dyw hi ddim isio mynd efo fo", "unease"),
        ("ma fy ex tu allan efo'i fets", "present_threat"),
        ("nath hi yfed fodca a llyncu tabledi", "overdose"),
        ("mae o ar ben y to yn deud bod o am neidio", "suicidal"),
        ("mae o'n gorwedd yna, prin yn anadlu", "injury"),
        ("dynion efo macheti", "weapon"),
        ("mae ei llystad hi'n ei bwrw hi", "violence"),
        ("ma'r dyn yn y car wedi'i tharo hi", "violence"),
        ("dwi di bod yn chwilio am ffyrdd o farw", "suicidal_thoughts"),
        ("mae gynno fo wn", "armed"),
        ("mae gynnon nhw fat pel fas", "armed"),
        ("dwi'n cuddio o dan y gwely", "distress_now"),
        ("fi yn y wardrob", "distress_now"),
        ("ffili cael allan, ma'r drws di cloi", "held"),
        ("llun ohoni wedi'i chlymu", "held"),
        ("dan ni'n chwarae cuddio, dwi o dan y gwely", "figurative"),
        ("ma na wenynen yn y stafell a dwi'n cuddio", "figurative"),
        ("dwim yn gwbod lle dwi", "lost_now"),
        ("nathon nhw gymryd fy ffon i", "control"),
        ("meeting fo mewn munud tu ol i'r siop", "meet_up"),
        ("mae na rywun yn y ty", "present_threat"),
        ("ma fo'n trio agor drws cefn", "present_threat"),
        ("nes i dorri eto neithiwr, yn ddyfnach na arfer", "self_harm"),
        ("crafu fy mreichiau efo unrhyw beth miniog", "self_harm"),
        ("na, dim ond taid di o", "known_visitor"),
        ("cath drws nesa sy di dod mewn drwy'r cat flap", "known_visitor"),
        ("y ci sy'n cyfarth", "known_visitor"),
    ],
)
def test_welsh_threats_and_harms(text, indicator):
    assert indicator in indicators(text), text


@pytest.mark.parametrize(
    "text",
    [
        "nath o ddeud neith o fy lladd i os dwi'n deud wrth rywun",
        "ma'r dyn yn gweiddi ei fod o am ei lladd hi",
        "mae o'n mynd i ladd fi",
    ],
)
def test_a_threat_by_someone_unnamed_is_not_a_figure_of_speech(text):
    assert "figurative" not in indicators(text), text


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("nath mam gymryd fy ffon i", "control"),
        ("a nath nain ddod allan i'w cwrdd nhw wrth y ty", "meet_up"),
        ("na dim taid di o", "known_visitor"),
        ("dim wncwl fi oedd o", "known_visitor"),
        ("nes i dorri'r bara yn ddyfnach", "self_harm"),
    ],
)
def test_what_is_said_of_family_or_denied_is_not_read_as_said(text, indicator):
    assert indicator not in indicators(text), text


@pytest.mark.parametrize(
    "text",
    [
        "bydd dad yn fy lladd i os dw i'n hwyr eto",
        "mae mam yn flin, bydd hi'n fy lladd i",
        "ma'r athro maths yn mynd i'n lladd i, heb neud y gwaith cartref",
        "athro fi'n mynd i ladd fi, anghofio gwaith cartre",
        "ma brawd fi'n mynd i ladd fi",
        "dwi am ei ladd o am fwyta fy siocled",
        "ma fe'n mynd i ladd fi am fwyta ei siocled",
        "bydd e'n lladd fi brawd mawr fi",
        "dwi mynd i ladd o",
    ],
)
def test_who_says_it_in_fun_makes_it_a_figure_of_speech(text):
    assert "figurative" in indicators(text), text


@pytest.mark.parametrize(
    "text, figurative",
    [
        ("hes going to kill me lol my big brother", True),
        ("shell kill me my mum", True),
        ("hes going to kill me my mums boyfriend", False),
        ("ma fe'n bygwth fi", False),
        ("theres a massive spider in my room im hiding", True),
        ("theres a man in my room im hiding", False),
        ("a man with a bat in the garden", False),
    ],
)
def test_what_makes_a_figure_of_speech_in_either_language(text, figurative):
    assert ("figurative" in indicators_of(text) | indicators(text)) is figurative, text


def test_a_threat_to_kill_with_someone_downstairs_is_danger():
    text = "mae o newydd ddeud os dwi'n deud wrth unrhyw un neith o fy lladd i, mae o lawr grisia"
    decision = decide_welsh(text)
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)


def test_a_threat_alone_asks_whether_the_writer_is_safe():
    decision = decide_welsh("neith o fy lladd i")
    assert not decision.escalates and decision.route is Route.CHECK_SAFE


def test_a_brother_said_after_a_threat_takes_it_back():
    alarm, follow_up = "ma fe'n gweud bydd e'n lladd fi", "brawd mawr fi"
    together = f"{alarm} {follow_up}"
    scores = {alarm: {"danger": 0.8, "now": 0.6}, together: {"danger": 0.5, "now": 0.4}}
    turns = conversation(alarm, follow_up, scores=scores, read=welsh_turn)
    assert assess_conversation(turns[:1]).escalates
    assert assess_conversation(turns).withdrawn


def test_someone_armed_while_the_writer_hides_is_danger():
    decision = decide_welsh("mae gynno fo wn. dwi'n cuddio o dan y gwely")
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)
    assert "armed+distress" in decision.reasons
    assert not decide_welsh("mae gynno fo wn").escalates


def test_the_phone_taken_by_them_and_lost_is_danger():
    decision = decide_welsh("nathon nhw gymryd fy ffon i, dwi ddim yn gwybod lle ydw i")
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)


@pytest.mark.parametrize(
    "text",
    [
        "odd o'n cuddio yn y cwpwrdd i ddychryn fi",
        "he was hiding in the cupboard to scare me",
    ],
)
def test_a_sibling_hiding_to_scare_is_a_prank(text):
    assert "house_rule" in indicators_of(text) | indicators(text), text
