"""Deadlines, threats, ways out and innocent explanations, in Welsh and English.

Each was missed or misread in a tuning set written by a separate author (sets ``n``, ``l``, ``u``
and ``y``, 2026-12-06); the cases here are reworded so they test the reading, not the set.
"""

import pytest

from bot.safety.assessment import assess
from bot.safety.evidence import Turn
from bot.safety.routes import Priority, Route
from bot.safety.signals import read_signals
from tests.bot.safety.test_assessment import decide, indicators_of
from tests.bot.safety.test_assessment import turn as turn_scored
from tests.bot.safety.test_welsh_patterns import PATTERNS, indicators, welsh


def welsh_turn(text: str, scores: dict[str, float] | None = None) -> Turn:
    reading = welsh(text)
    signals = read_signals(
        reading, PATTERNS.matches(reading), scores or {}, "cy", len(text.split())
    )
    return Turn(signals, f"m{abs(hash(text))}")


def decide_welsh(*texts: str):
    return assess([welsh_turn(text) for text in texts])


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("wi'm yn saff yma", "unsafe_now"),
        ("ges i ddiod gan ryw foi a dwi'n teimlo'n od, methu sefyll", "spiked"),
        ("teimlo'n sal ar ôl y ddiod roth o i fi", "spiked"),
        ("mae o'n deud neith o yrru'r llunia i nheulu", "sextortion"),
        ("ma'r fideos yn mynd ar lein os dwi'n deud", "sextortion"),
        ("neith hi recordio fo a'i bostio os dwi ddim yn talu", "sextortion"),
        ("ma chwaer fi'n cael ei blacmelo", "sextortion"),
        ("ma gen i tan 10 i dalu", "imminent"),
        ("dwy awr sgen i", "imminent"),
        ("hanner awr sy gen i i yrru mwy o luniau", "sextortion"),
        ("sut dwi'n mynd allan o'r fflat heb iddyn nhw sylwi", "held"),
        ("neith o frifo mam os dwi'n gadael", "threat"),
        ("ma nhw'n gwybod lle mae fy nheulu yn byw", "threat"),
        ("ma fo'n bangio ar y drws", "present_threat"),
        ("mae fan yn aros amdani rownd y gornel", "present_threat"),
        ("mae hi wedi sleifio allan drwy'r ffenest", "missing_now"),
        ("ma'r boi yn neud i fi yrru lluniau", "image_request"),
        ("da ni'n canlyn ers mis", "relationship"),
        ("Dw i'n ofalwr maeth", "writer_carer"),
        ("ma nw gyd yn hŷn na fi", "older_person"),
        ("dyn yn mynd i'r lifft efo hogyn ifanc", "child_with_adult"),
        ("nes i yfed y stwff roth o i fi", "substances"),
        ("mae o wedi bwcio stafell efo merch", "place_to_stay"),
        ("mam ei ffrind hi oedd hi", "family_care"),
        ("dwi di tsiecio, ei wyrion o ydyn nhw", "family_care"),
        ("trip ysgol di o", "family_care"),
        ("nath o gau'r drws heb sylwi", "mishap"),
        ("dwi di torri fy ngwallt", "mishap"),
        ("isio marw, mae gen i lun ysgol fory a ngwallt i'n uffernol", "figurative"),
        ("isio marw, tri arholiad wsos nesa", "figurative"),
        ("o na, fy chwaer fach i ydi hi", "known_visitor"),
        ("anti mair di hi", "known_visitor"),
        ("dyn amazon oedd o", "known_visitor"),
        ("escape room efo'r clwb", "mishap"),
        ("brech yr ieir sgen i, wythnos adra", "mishap"),
        ("dwi'n sefyll ar y cledra", "suicidal"),
        ("os ti'n darllen hwn mae'n rhy hwyr", "suicidal"),
        ("dwi'n mynd i gerdded mewn i'r môr heno", "suicidal"),
        ("isio diflannu am byth", "suicidal_thoughts"),
        ("sa petha'n haws i bawb taswn i ddim yma", "suicidal_thoughts"),
        ("dwi isio gorffen y cwbl", "suicidal_thoughts"),
        ("fi'n bwrw'n hunan pan fi'n grac", "self_harm"),
        ("nath o roi ei law lawr fy nhrowsus", "sexual_abuse"),
        ("ma'r bois yn mynd a hi fyny i'r llofft", "taken_somewhere"),
    ],
)
def test_a_welsh_message_shows_what_it_tells(text, indicator):
    assert indicator in indicators(text)


@pytest.mark.parametrize(
    "text, writer, others",
    [
        ("odd e'n 19 a fi'n 14 pan ddechreuodd e", 14, (19,)),
        ("mae o tua 30 a dwi'n 14", 14, (30,)),
        ("ma'r boi'n rhyw 25", None, (25,)),
    ],
)
def test_the_age_of_someone_told_roughly_or_in_the_past_is_read(text, writer, others):
    signals = welsh_turn(text).signals
    assert signals.writer_age == writer and signals.other_ages == others


def test_a_parent_meeting_their_child_is_not_a_meeting_with_an_adult():
    party = "bydd alcohol yna i'r oedolion"
    assert not decide_welsh(party, "mam fi'n dod i nôl fi am 11").escalates
    assert decide_welsh(party, "ma'r boi'n dod i nôl fi am 11, mae o tua 30 a dwi'n 14").escalates


def test_asking_how_to_get_out_without_them_seeing_is_being_held_not_a_question():
    decision = decide_welsh("sut dwi'n dod allan o'r tŷ ma heb iddyn nhw weld")
    assert decision.route is Route.DANGER and decision.priority == Priority.DANGER
    assert not decide_welsh("sut dwi'n dod allan o'r gêm heb golli").escalates


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("hes sent my sister a pic of his privates", "sexual_talk"),
        ("got 2 hours to send him more nudes", "sextortion"),
        ("how do i get out of this flat without them noticing", "held"),
        ("mums on her way to pick me up", "family_care"),
        ("we watched a horror film and the killer was in the house", "fiction"),
        ("writing a ghost story for homework", "fiction"),
        ("false alarm, panic over", "safe_now"),
        ("it was her friends dad picking her up", "family_care"),
        ("its just a school trip", "family_care"),
        ("checked and theyre his grandkids", "family_care"),
        ("i cut my own fringe", "mishap"),
        ("i wanna die my school photos are tomorrow and my hair is a mess", "figurative"),
        ("if youre reading this its too late", "suicidal"),
        ("he said if i dont pay within the hour he posts them", "imminent"),
        ("stuck at home with chickenpox", "mishap"),
        ("he told me to tell the teachers hes my uncle", "secrecy"),
    ],
)
def test_an_english_message_shows_what_it_tells(text, indicator):
    assert indicator in indicators_of(text)


def test_a_teasing_picture_or_a_game_raid_is_not_harm():
    assert "sextortion" not in indicators_of("hes going to post a photo of me pulling a face")
    assert "sextortion" in indicators_of("hes going to post the photos of me")
    assert not decide("someone raided my base again every night this week").escalates


def test_a_school_trip_or_an_adult_saying_family_explains_only_when_it_is_the_explanation():
    assert "family_care" not in indicators_of("on the school trip a year 13 came into my room")
    assert "family_care" not in indicators_of("she says shes his niece but doesnt know his name")
    assert "family_care" not in indicators("ar y trip ysgol nath athro gusanu fi")


def test_only_the_writers_own_haircut_or_not_noticing_is_a_mishap():
    assert "mishap" not in indicators_of("he cut her hair off to punish her")
    assert "mishap" not in indicators("nath o dorri fy ngwallt i")
    assert "mishap" not in indicators("nath o dynnu lluniau ohona i heb wybod")


def test_a_mishap_is_read_by_the_patterns_alone():
    # what the content model said (measured on the trained model)
    hair = turn_scored("i cut my own hair and it looks awful", {"self_harm": 0.9})
    assert not assess([hair]).escalates
    assert assess([turn_scored("i cut myself", {"self_harm": 0.9})]).escalates


def test_a_cover_story_about_who_he_is_is_not_an_explanation():
    waiting = "a man is waiting at the school gate, he told me to tell the teachers its my brother"
    assert decide(waiting).route is Route.DANGER
    cover = welsh_turn("deud wrtha i am ddeud wrth bawb mai fy mrawd i ydi o").signals
    assert "secrecy" in cover.indicators and "known_visitor" not in cover.indicators
    assert not decide("a man is waiting at the school gate", "its my brother lol").escalates


def test_a_drama_cupboard_is_a_place_not_a_story():
    assert "fiction" not in indicators_of("he kissed me in the drama store cupboard")
    assert "fiction" in indicators_of("in the drama last night the killer was outside her house")
