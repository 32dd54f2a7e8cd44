"""Welsh explanations of an alarm, and Welsh ways of saying when, that tuning sets found missing.

A Welsh follow-up that says the alarm was a TV drama, a story being written, a pet, a taxi
someone booked, a scam text, photos of a school trip or "dim byd fel'na" now explains it as the
English ones do. A game told is not a story (a game is where harm often starts). A story a child
says was about herself ends the story's explanation. Minutes ago or the clock now is now, and
being driven somewhere or on the way to meet him is soon, in Welsh; a car kept slowly beside a
child on foot is following, in both languages (2026-12-07, tuning sets
``cy_conversations_tuning_t``, ``cy_safety_tuning_cc`` and ``conversations_tuning_ii``; the cases
here are reworded).
"""

import pytest

from bot.safety.evidence import tells_a_story
from bot.safety.routes import Priority, Route
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import decide, decide_scored, indicators_of, turn
from tests.bot.safety.test_deadlines_threats_and_ways_out import welsh_turn
from tests.bot.safety.test_welsh_patterns import indicators
from tests.bot.safety.test_withdrawal import conversation


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("na dim byd fel'na, jest wedi blino", "reassured"),
        ("jyst isio gwbod, does dim byd wedi digwydd", "reassured"),
        ("dio ddim yn creepy o gwbl", "reassured"),
        ("ci defaid y ffarm oedd o lol", "known_visitor"),
        ("o na, y gath drws nesa oedd hi", "known_visitor"),
        ("tacsi oedd o, mam di archebu fo", "known_visitor"),
        ("sgam di o ia", "false_alarm"),
        ("lluniau o'r trip ysgol, llygaid fi ar gau ym mhob un", "innocent_images"),
        ("dwi'n sgwennu stori fer am hyn i'r steddfod", "fiction"),
        ("drama ar S4C oedd hi neithiwr", "fiction"),
        ("nes i gwrdd a fo ar roblox", "mentions_fiction"),
        ("wedi holi, ei thad hi oedd o", "known_visitor"),
        ("a'i wncwl e yw'r dyn", "known_visitor"),
        ("o na, mam oedd hi ar y drws", "known_visitor"),
        ("dad oedd o yn y car", "known_visitor"),
        ("anti fi oedd hi lol", "known_visitor"),
        ("fy mrawd i oedd o lol", "known_visitor"),
        ("y postmon oedd o yn y fan", "known_visitor"),
        ("nes i ofyn, ei ferched o ydyn nhw", "known_visitor"),
        ("ei ferch o ydi hi", "known_visitor"),
        ("efo pel droed amser chwara", "mishap"),
        ("dio'm bwys!! y fet ydi o, dad di ffonio fo", "known_visitor"),
        ("gard y trên yw e", "known_visitor"),
        ("wel dyn y bws dio", "known_visitor"),
        ("dyn eira Osian yw e lol", "known_visitor"),
        ("dwi ddim yn cael dod allan tan dwi di gorffen gwaith cartref", "house_rule"),
        ("chwaer fi'n gwrthod gadael fi mewn lol", "house_rule"),
        ("brawd fi, jyst yn bod yn annoying", "house_rule"),
        ("hwfro, golchi llestri, tacluso llofft. child labour di o", "house_rule"),
        ("detention 🙄 tan 4", "house_rule"),
        ("lock di torri", "mishap"),
        ("Siôn Corn oedd o medda hi", "known_visitor"),
        ("crwt drws nesa yw e yn gofyn am losin", "known_visitor"),
        ("ok ffindes i fe", "safe_now"),
        ("bwrodd pêl rygbi fi yn y trwyn", "mishap"),
    ],
)
def test_welsh_explanations_of_an_alarm(text, indicator):
    assert indicator in indicators(text), text


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("ma hi'n deud mai'r gath oedd o", "known_visitor"),
        ("nes i gwrdd a fo ar roblox", "fiction"),
        ("aros am gwsmer yn y siop", "sexual_exploitation"),
        ("mynd rownd a rownd y bloc yn y car", "fiction"),
        ("ma fe'n deud does dim byd yn bod efo be ni'n neud", "reassured"),
        ("ei thad hi oedd o'n neud o iddi hi", "known_visitor"),
        ("ei dad o oedd o'n neud o iddo fo", "known_visitor"),
        ("ei mam hi oedd hi wedi gwerthu hi", "known_visitor"),
        ("dad oedd o yn ei gyffwrdd hi", "known_visitor"),
        ("wncwl fi oedd o n cyffwrdd fi", "known_visitor"),
        ("fy mrawd i oedd o'n tynnu lluniau ohona i", "known_visitor"),
        ("ei ferched o ydyn nhw'n cael eu gwerthu", "known_visitor"),
        ("nath o gyffwrdd fi efo pel", "mishap"),
        ("y dreifar oedd o'n cyffwrdd fi", "known_visitor"),
        ("ma dyn y bws wedi deud", "known_visitor"),
        ("ma nhw'n neud i fi olchi llestri yn y fflat", "house_rule"),
        ("ma nhw di ffeindio fi", "safe_now"),
        ("na, ei dad oedd o'n cyffwrdd hi", "known_visitor"),
        ("taid oedd o'n neud o", "known_visitor"),
        ("a'i wncwl e yw'r dyn sy'n rhoi cyffuriau iddo fo", "known_visitor"),
        ("ma fe di bwcio tacsi i fi i fynd i'w fflat", "known_visitor"),
        ("lluniau noeth o'r trip", "innocent_images"),
        ("twyll oedd o i gyd, nath o ddeud bod o'n 16", "false_alarm"),
    ],
)
def test_what_does_not_explain_in_welsh(text, indicator):
    assert indicator not in indicators(text), text


def test_who_he_said_she_was_is_a_cover_story_not_who_she_was():
    text = "mi ddudodd o mai ei nith o oedd hi ond doedd hi ddim yn gwybod ei enw"
    claimed = set(welsh_turn(text).signals.indicators)
    assert "secrecy" in claimed and "known_visitor" not in claimed
    assert "sextortion" not in indicators("dwi'n mynd i yrru'r lluniau o'r parti i mam os ti isio")


def test_a_cover_story_about_the_cat_explains_nothing_in_english():
    assert "known_visitor" not in indicators_of("she has cuts up her arm and says its the cat")
    assert "known_visitor" in indicators_of("oh its the cat on the shed roof")
    assert "known_visitor" in indicators_of("its the dog lol")


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("aeth hi i mewn i'r car ddeng munud yn ôl", "said_now"),
        ("mae hi'n hanner nos a dio ddim adra", "said_now"),
        ("nid yw fy mab wedi dod adref o'r ysgol", "missing_now"),
        ("ma ffrind fi heb ddod gatre neithiwr", "missing_now"),
        ("mae un o'n plant ni ar goll o'r cartref ers neithiwr", "missing_now"),
        ("ar y ffordd i'w gyfarfod o", "imminent"),
        ("ar y ffordd i'w gyfarfod o", "meet_up"),
        ("dwi di cael fy ngyrru i westy yn y dre", "now"),
        ("deud wrtha i am aros yn y stafell am gwsmer", "sexual_exploitation"),
        ("mae o'n dreifio'n ara wrth ymyl fi", "stalked_now"),
        ("help dwi yng nghefn fan", "help_now"),
        ("mae'n mynd i yrru'r fideo i bawb ar fy followers os dwi ddim yn talu", "sextortion"),
    ],
)
def test_welsh_ways_of_saying_it_is_now(text, indicator):
    assert indicator in indicators(text), text


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("a car keeps driving slowly beside me", "stalked_now"),
        (
            "ive been driven to a hotel and told to wait in the room for a client",
            "sexual_exploitation",
        ),
        ("she has just got into a car with two men", "said_now"),
        ("theyve locked the door so he cant leave", "said_now"),
        ("my daughter is 14 and shes not come home", "missing_now"),
    ],
)
def test_english_ways_of_saying_it_is_now(text, indicator):
    assert indicator in indicators_of(text), text


def test_just_now_outweighs_what_the_same_message_says_of_last_week():
    decision = decide(
        "one of our girls, 13, has just got into a car with two adult men outside the home. "
        "she told us last week they make her go with their friends"
    )
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)


def test_a_shop_worker_waiting_for_a_customer_is_not_exploitation():
    assert "sexual_exploitation" not in indicators_of("my boss told me to wait for a customer")


def test_coming_to_a_party_is_not_a_figure_of_speech():
    text = "came to the party with my boyfriend whos 22 and he wants me to go with his mates"
    assert "figurative" not in indicators_of(text)
    assert "figurative" in indicators_of("my mates are coming round for a sleepover")
    scores = {"danger": 0.56, "disclosure": 0.17, "now": 0.33}
    assert decide_scored(text, scores).escalates


ALARM = "nath o orfodi hi i fynd i'w fflat a thynnu lluniau ohoni"


def test_a_welsh_drama_told_after_an_alarm_takes_it_back():
    follow_up = "na na dim fi, drama ar S4C oedd hi neithiwr"
    together = f"{ALARM} {follow_up}"
    scores = {ALARM: {"disclosure": 0.9}, together: {"disclosure": 0.8}}
    turns = conversation(ALARM, follow_up, scores=scores, read=welsh_turn)
    assert assess_conversation(turns[:1]).escalates
    assert assess_conversation(turns).withdrawn


def test_a_game_told_after_an_alarm_in_welsh_is_not_a_story():
    follow_up = "nes i gwrdd a fo ar roblox"
    together = f"{ALARM} {follow_up}"
    scores = {ALARM: {"disclosure": 0.9}, together: {"disclosure": 0.9}}
    turns = conversation(ALARM, follow_up, scores=scores, read=welsh_turn)
    assert assess_conversation(turns).escalates


def test_a_story_a_child_says_was_about_herself_is_read_as_real():
    story = "mae disgybl wedi sgwennu stori am ferch sy'n brifo ei hun"
    real = "dywedodd mai amdani hi ei hun oedd y stori a'i bod yn crafu ei breichiau"
    scores = {story: {"self_harm": 0.56}, real: {"self_harm": 0.94}}
    turns = conversation("athrawes ydw i", story, real, scores=scores, read=welsh_turn)
    assert assess_conversation(turns[:2]).route is Route.NONE
    assert assess_conversation(turns).route is Route.SELF_HARM
    still_a_story = "ond dydi hi ddim isio siarad am y peth"
    turns = conversation(
        "athrawes ydw i",
        story,
        still_a_story,
        scores={story: {"self_harm": 0.56}, still_a_story: {"self_harm": 0.9}},
        read=welsh_turn,
    )
    assert assess_conversation(turns).route is Route.NONE


@pytest.mark.parametrize(
    "text, story",
    [
        ("drama ar S4C oedd hi neithiwr", True),
        ("watshio Line of Duty, ma nhw di cloi hi mewn stafell", True),
        # an English pattern's reading inside Welsh ("on tv") is not a Welsh story told
        ("nath o ddeud bod fi'n mynd i fod on tv os dwi'n mynd efo fo", False),
        # mentioned, not told: a game is where harm starts, "mewn ffilm" can be a child filmed
        ("nes i gwrdd a fo ar roblox", False),
        ("ma nhw'n deud bo fi'n mynd i fod mewn ffilm", False),
    ],
)
def test_what_makes_a_welsh_message_a_story(text, story):
    assert tells_a_story(welsh_turn(text).signals) is story, text


def test_being_hit_or_kicked_is_not_violence_until_someone_is_said_to_do_it():
    """As in English ("got hit in the head"): a ball, a game or a fall hits children too."""
    assert "violence" not in indicators("ma ffrind fi di cael ei hitio yn ei ben")
    assert "violence" not in indicators("nes i gael fy nghicio yn y gem")
    assert "violence" in indicators("mae o'n hitio fi")
    assert "violence" in indicators("dwi'n cael fy nghuro gartre")
    assert "violence" in indicators("dwi'n cael fy nyrnu gan fy llystad")
    assert "violence" in indicators("ges i fy nghicio gan y bois hyn")
    assert "violence" not in indicators("nes i gael fy hitio gan bel droed")
    assert "present_threat" in indicators("drws ffrynt yn cael ei gicio")


def test_who_someone_is_denied_explains_nothing():
    assert "known_visitor" not in indicators("nid ei fab yw e")
    assert "known_visitor" not in indicators("ddim ei thad hi oedd o")
    assert "known_visitor" in indicators("ei fab o yw e lol")


@pytest.mark.parametrize(
    "alarm, follow_up, read",
    [
        (
            "ma rhywun di cloi fi mewn",
            "brawd fi, jyst yn bod yn annoying, mae o di agor o rwan",
            welsh_turn,
        ),
        ("someone locked me in", "my brother, just being annoying, hes opened it now", turn),
    ],
)
def test_a_brother_or_sister_playing_a_prank_takes_being_shut_in_back(alarm, follow_up, read):
    together = f"{alarm} {follow_up}"
    scores = {alarm: {"danger": 0.9, "now": 0.9}, together: {"danger": 0.5, "now": 0.5}}
    turns = conversation(alarm, follow_up, scores=scores, read=read)
    assert assess_conversation(turns[:1]).priority == Priority.DANGER
    assert assess_conversation(turns).withdrawn
    assert "house_rule" not in indicators_of("my brother keeps me locked in and touches me")
