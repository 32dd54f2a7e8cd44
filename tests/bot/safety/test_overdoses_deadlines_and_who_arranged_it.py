"""Harm whose facts arrive in pieces, threats told by the clock, and who arranged a visit.

From fresh tuning sets written by separate authors (English conversations ``ll`` and single
messages ``t``, Welsh conversations ``z``, 2026-12-07); the cases here are reworded so they test
the reading, not the set. Each message is read by the reviewed patterns alone (no content model).
"""

import pytest

from bot.safety.routes import Route
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import decide, indicators_of
from tests.bot.safety.test_deadlines_threats_and_ways_out import welsh_turn
from tests.bot.safety.test_welsh_patterns import indicators, welsh
from tests.bot.safety.test_withdrawal import conversation


@pytest.mark.parametrize(
    "texts",
    [
        ("can i ask about paracetamol", "how many is too many", "i already took like 16 so far"),
        ("what happens if you take too many tablets", "ive had about 20 already"),
        ("which painkillers are strongest", "ok", "thanks", "i took the whole packet"),
    ],
)
def test_how_many_the_writer_took_after_a_medicine_was_named_is_an_overdose_now(texts):
    decision = decide(*texts)
    assert (decision.route, decision.priority) == (Route.SELF_HARM, 1), texts
    assert "overdose" in decision.indicators


@pytest.mark.parametrize(
    "texts",
    [
        ("i took loads of photos at the match", "i took like 20 today"),
        ("can i ask about paracetamol", "ok", "thanks", "nothing else", "i took like 16 earlier"),
        ("i have a headache", "ibuprofen or paracetamol", "i had 2 already"),
    ],
)
def test_a_number_taken_of_something_else_or_long_after_is_not_an_overdose(texts):
    assert decide(*texts).route is not Route.SELF_HARM, texts


def test_welsh_how_many_after_tablets_were_named_is_an_overdose_now():
    turns = [welsh_turn("faint o dabledi sy ormod"), welsh_turn("dwi di cymryd tua 20 gynna")]
    decision = assess_conversation(turns)
    assert (decision.route, decision.priority) == (Route.SELF_HARM, 1)


def test_a_man_met_online_picking_up_a_child_of_14_soon_is_danger():
    decision = decide("im 14", "theres a guy i met on snap hes 24 n hes picking me up in 20 mins")
    assert (decision.route, decision.priority) == (Route.DANGER, 1)
    assert decide("im 14", "my dad is picking me up at 6").route is Route.NONE


@pytest.mark.parametrize(
    "text",
    [
        "some1 sayin theyll post my pics on the school gc at 6 unless i send £50",
        "he says he'll come round with his mates at 8 if i dont pay what i owe",
        "they said i have to stay here n work for them til i pay back what i owe",
    ],
)
def test_a_threat_by_the_clock_or_being_kept_to_work_off_a_debt_is_danger(text):
    decision = decide(text)
    assert (decision.route, decision.priority) == (Route.DANGER, 1), text


@pytest.mark.parametrize(
    "text",
    [
        "we need to finish the poster by 6 or miss will go mad",
        "im posting the vid at 6 if i get 100 likes",
        "my sister said tidy up or she will tell my mum i broke the vase",
        "my brother says give him my sweets or he will tell my mum i swore",
    ],
)
def test_a_time_or_a_telling_off_in_ordinary_life_is_not_an_alarm(text):
    assert not decide(text).escalates, text


def test_a_threat_to_tell_their_parents_unless_they_undress_on_camera_is_pressure():
    assert "pressure" in indicators_of(
        "hes saying go on video call and take my top off or hell tell my parents what i said"
    )
    assert "pressure" not in indicators_of("tidy your room or ill tell your dad")


def test_asking_whether_it_is_illegal_for_me_makes_if_someone_the_askers_own():
    told = decide("if someone made me do stuff on camera is that illegal for me")
    assert told.route is Route.DISCLOSURE
    general = decide("what happens if a boy shares a pic of a girl, is that illegal")
    assert not general.escalates


@pytest.mark.parametrize(
    "text",
    [
        "ok mum just texted, she arranged it",
        "my dad booked him, panic over",
        "turns out it was her dad",
    ],
)
def test_a_parent_who_arranged_it_or_who_the_adult_was_explains_who_was_there(text):
    assert "known_visitor" in indicators_of(text), text


@pytest.mark.parametrize(
    "text", ["he said he arranged it with my mum", "my mum said he arranged it"]
)
def test_what_the_stranger_says_was_arranged_explains_nothing(text):
    assert "known_visitor" not in indicators_of(text), text


def test_a_stranger_at_the_door_is_taken_back_once_mum_says_she_booked_him():
    alarm, booked = "theres a man at the door and im home alone", "mum just texted she booked him"
    # the content model's reading, measured on the trained model, alone and read together
    scores = {alarm: {"danger": 0.98, "now": 0.97}, f"{alarm} {booked}": {"danger": 0.63}}
    turns = conversation(alarm, booked, scores=scores)
    assert assess_conversation(turns[:1]).escalates
    decision = assess_conversation(turns)
    assert not decision.escalates and decision.withdrawn


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("o na jyst y dyn llnau ffenestri di o", "known_visitor"),
        ("ok mam newydd tecstio, hi drefnodd o", "known_visitor"),
        ("roedd hi'n disgrifio golygfa o ddrama'r ysgol", "fiction"),
        ("mae hi'n chwarae rhan y plentyn sy'n cael ei gloi", "fiction"),
    ],
)
def test_welsh_who_it_was_who_arranged_it_and_a_part_in_a_play(text, indicator):
    assert indicator in indicators(welsh(text)), text


def test_welsh_a_man_saying_he_is_from_the_gas_explains_nothing():
    assert "known_visitor" not in indicators(welsh("ma fe'n gweud bod e o'r cwmni nwy"))


def test_a_child_gone_from_care_to_the_adults_who_exploit_her_is_danger():
    decision = decide(
        "young person has absconded and is believed to be with adults who exploit her tonight"
    )
    assert (decision.route, decision.priority) == (Route.DANGER, 1)
    assert not decide("our lad absconded from placement last month but hes settled now").escalates


@pytest.mark.parametrize(
    "text",
    [
        "she's been thinking about ending her life and looking up ways to do it",
        "a year 10 girl told me she had thoughts of ending her life over the summer",
    ],
)
def test_thoughts_of_ending_her_life_told_by_a_professional_are_self_harm(text):
    assert decide("I'm a school nurse", text).route is Route.SELF_HARM, text
    assert not decide("we were talking about ending the club because nobody comes").escalates


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("a bloke's buying her vodka and they're about to leave together", "imminent"),
        ("she has just got into his car", "now"),
        ("our looked after child has just been collected by an unknown car", "now"),
        ("a man we don't know is at reception insisting on collecting a year 7", "present_threat"),
        ("left her kids with a man whos been done for stuff with kids, hes there now", "said_now"),
        ("they've got my nudes and said 30 minutes", "imminent"),
        ("someone just knocked and said open up we know your in", "threat"),
        ("someone just knocked and said open up we know your in", "present_threat"),
        ("a message on his xbox saying you owe us, see you tonight", "threat"),
        ("an older man and two teen boys asked for a room, the lads look terrified", "fear"),
    ],
)
def test_what_a_witness_sees_happening_now_is_read(text, indicator):
    assert indicator in indicators_of(text), text


@pytest.mark.parametrize(
    "text",
    [
        "we are about to leave for school",
        "my mum has just got into a taxi to the airport",
        "the teacher gave me 10 minutes to finish",
        "my nan is at reception waiting for me",
        "someone just knocked, its the postman",
    ],
)
def test_the_same_words_in_ordinary_life_raise_no_alarm(text):
    assert not decide(text).escalates, text
    assert "present_threat" not in indicators_of("my nan is at reception waiting for me")


def test_a_question_about_warning_signs_counts_once_the_asker_says_it_is_theirs():
    question = "is it illegal for an adult to send u pics of their privates"
    assert not decide(question).escalates
    decision = decide(question, "yeah he did", "14")
    assert decision.route is Route.DISCLOSURE
    assert "sexual_talk" in decision.indicators
    # without the answer it stays a question, whatever comes after
    assert not decide(question, "asking for a school project", "14").escalates


@pytest.mark.parametrize(
    "texts, route",
    [
        (("how do i get pics off someone elses phone", "of me", "yeah nudes. hes 19 im 14"), "d"),
        (("whats the fastest way to stop feeling anything", "like for good", "i mean dying"), "s"),
        (
            ("how do i send money on crypto", "someones gonna post a video of me. i got an hour"),
            "1",
        ),
    ],
)
def test_the_fact_that_decides_it_told_in_a_few_words(texts, route):
    decision = decide(*texts)
    expected = {
        "d": (Route.DISCLOSURE, 2),
        "s": (Route.SELF_HARM, 2),
        "1": (Route.DANGER, 1),
    }[route]
    assert (decision.route, decision.priority) == expected, texts


@pytest.mark.parametrize(
    "alarm, follow_up, scores",
    [
        ("i dont want to be here anymore", "at this school", {"self_harm": 0.35, "danger": 0.55}),
        ("my mums boyfriend makes me do stuff", "like the washing up", {"disclosure": 1.0}),
    ],
)
def test_a_follow_up_that_says_where_or_what_takes_the_alarm_back(alarm, follow_up, scores):
    turns = conversation(alarm, follow_up, scores={alarm: scores})
    assert assess_conversation(turns[:1]).escalates
    decision = assess_conversation(turns)
    assert not decision.escalates and decision.withdrawn


@pytest.mark.parametrize(
    "text",
    [
        "my sister is gonna post a video of me dancing lol",
        "i got an hour till my exam",
        "i dont want to be here anymore, i want to die",
        "he makes me do stuff like touch him",
    ],
)
def test_the_same_shapes_that_say_nothing_or_say_harm_are_read_so(text):
    harm = text in (
        "i dont want to be here anymore, i want to die",
        "he makes me do stuff like touch him",
    )
    assert decide(text).escalates is harm, text


@pytest.mark.parametrize(
    "text",
    [
        "mae rhywun yn bygwth rhannu lluniau ohoni os nad ydi hi'n talu £200 erbyn bore fory",
        "mae o'n gwneud i mi aros yma tan mae ei ffrindia fo'n cyrraedd",
        "dwi ddim yn cael mynd o'r car tan dwi'n gorffen y deliveries",
        "dwi'n 14 a methu mynd adra tan dwi di gwerthu bob dim",
    ],
)
def test_welsh_danger_by_the_clock_or_kept_until(text):
    decision = assess_conversation([welsh_turn(text)])
    assert (decision.route, decision.priority) == (Route.DANGER, 1), text


@pytest.mark.parametrize(
    "text",
    [
        "methu mynd adra tan dwi di gorffen fy shifft",
        "erbyn fory dwi angen gorffen y poster",
        "mae mam yn gwneud i mi aros yma tan dwi di gorffen fy ngwaith cartref",
    ],
)
def test_welsh_deadlines_and_staying_in_ordinary_life(text):
    assert not assess_conversation([welsh_turn(text)]).escalates, text


def test_writing_from_under_the_bed_in_welsh_is_hiding_now():
    assert "distress_now" in indicators(welsh("sgwennu hwn o dan y gwely, mae o nol yn y ty"))


@pytest.mark.parametrize(
    "text",
    [
        "my friends say im better off without him tbh. were going cinema tonight",
        "youre so much better off without her",
    ],
)
def test_better_off_without_him_after_a_break_up_is_not_suicidal(text):
    assert not decide(text).escalates, text
    decision = decide("everyone would be better off without me")
    assert decision.route is Route.SELF_HARM


def test_welsh_better_off_without_him_and_the_writer_outside_the_door():
    assert "figurative" in indicators(welsh("ma ffrindie fi'n gweud bod fi'n well off hebddo fe"))
    listening = welsh_turn("dwi di gwrando tu allan i'r drws, ei yncl o ydi o").signals
    assert "present_threat" not in listening.indicators
    assert "present_threat" in welsh_turn("mae o tu allan i'r drws").signals.indicators


def test_a_welsh_time_in_a_story_is_not_a_deadline():
    assert "imminent" not in indicators(welsh("maen nhw'n ffrindiau eto erbyn amser cinio"))
    assert "imminent" in indicators(welsh("os nad ydi hi'n talu £200 erbyn bore fory"))


@pytest.mark.parametrize(
    "text, danger",
    [
        ("nhw'n neud fi aros yn y cwt tan ma'r car yn cyrraedd", True),
        ("mae o'n mynnu £500 cyn bore fory am fideo, mae hi'n 13", True),
        ("mam yn neud fi aros yn y car tan ma dad yn cyrraedd", False),
        ("angen £20 cyn fory i'r trip ysgol", False),
    ],
)
def test_welsh_kept_until_a_car_comes_and_money_demanded_by_a_time(text, danger):
    # the content model's reading of the two alarms, measured on the trained model (the demand
    # for money by a time: 0.52 danger, 0.08 disclosure)
    scores = {"danger": 0.52, "disclosure": 0.08, "now": 0.5} if danger else {}
    decision = assess_conversation([welsh_turn(text, scores)])
    assert (decision.priority == 1) is danger, text


def test_a_medicine_named_after_an_alarm_never_explains_it_away():
    # a medicine named is a fact, not a reading that explains ("bot/safety/withdrawal.py"): as a
    # modifier it had let this follow-up take the alarm back
    alarm, follow_up = "im really scared hes coming back", "he keeps giving me pills at his flat"
    scores = {alarm: {"danger": 0.9, "now": 0.9}, f"{alarm} {follow_up}": {"danger": 0.3}}
    decision = assess_conversation(conversation(alarm, follow_up, scores=scores))
    assert decision.escalates and not decision.withdrawn
