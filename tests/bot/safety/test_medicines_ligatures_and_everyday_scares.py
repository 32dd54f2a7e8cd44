"""Self-harm in plain words, harm by adults named by whose they are, and everyday scares.

From fresh tuning sets written by separate authors (English single messages ``t``, everyday
messages ``p``, conversations ``nn``, Welsh conversations ``aa``, 2026-12-07); the cases here are
reworded so they test the reading, not the set. Each message is read by the reviewed patterns
alone (no content model).
"""

from dataclasses import replace

import pytest

from bot.safety.routes import Route, Subject
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import decide, decide_scored, indicators_of
from tests.bot.safety.test_deadlines_threats_and_ways_out import welsh_turn
from tests.bot.safety.test_welsh_patterns import indicators
from tests.bot.safety.test_withdrawal import conversation


@pytest.mark.parametrize(
    "text",
    [
        "how many citalopram would it take",
        "how many of my antidepressants would kill you",
        "how many co-codamol does it take to die",
        "my cousin is 13 and says she wants to be dead",
        "she keeps banging her head against the wall when she gets upset",
        "a boy in year 8 tied a belt round his neck in the toilets",
        "would it hurt if i jumped off the 5th floor balcony",
        "his search history is all ways to kill yourself",
        "she told me she does not see the point in living any more",
    ],
)
def test_self_harm_said_in_plain_words_is_self_harm(text):
    assert decide(text).route is Route.SELF_HARM, text


@pytest.mark.parametrize(
    "text",
    [
        "how many paracetamol does it take to get rid of a headache",
        "how many tablets would it take to fill this box",
        "he wants to be dead good at football",
        "i banged my head on the cupboard door lol",
        "would it hurt if i jumped off the trampoline",
    ],
)
def test_medicine_doses_heads_and_jumps_in_ordinary_life_are_not_self_harm(text):
    assert decide(text).route is not Route.SELF_HARM, text


def test_an_adult_of_the_household_hitting_the_writer_is_violence_against_them():
    assert "violence" in indicators_of("my mums boyfriend hits me when she is at work")
    assert "violence" in indicators_of("my foster dad kicked me")
    assert "violence" not in indicators_of("my brother hits me when i take his xbox")


def test_an_adult_who_sent_the_writer_a_sexual_picture_is_about_the_writer():
    decision = decide("my mates dad sent me a dick pic", "im 13")
    assert decision.escalates and decision.subject is Subject.SELF


def test_a_threat_after_a_general_question_is_real_once_the_writer_says_who_it_is():
    decision = decide(
        "what do i do if someone is trying to get in ur house, its my ex hes 22 and im 15 "
        "and hes banging on the window"
    )
    assert decision.route is Route.DANGER


def test_a_child_gripped_by_a_man_tonight_is_danger_and_a_different_man_each_night_a_sign():
    assert "child_with_adult" in indicators_of("she gets in with a different man most nights")
    assert "coerced" in indicators_of("the bloke has got hold of his arm")
    assert "coerced" not in indicators_of("my brother grabbed her by the hair")


@pytest.mark.parametrize(
    "text",
    [
        "theres a huge spider outside my door and im trapped in my room",
        "a fox is screaming outside my window right now",
        "my mate says shes going to kill me if i spoil the ending",
        "my sister pranked me by hiding behind the door",
        "the council are locked in a dispute with the school about the car park",
        "he says if i touch his phone again hes going to hurt me lol",
    ],
)
def test_everyday_scares_and_figures_of_speech_are_not_alarms(text):
    assert not decide(text).escalates, text


def test_a_kill_threat_for_telling_is_still_a_threat_to_life():
    assert decide("my friend says she will kill me if i tell anyone").route is Route.DANGER


def test_a_withdrawn_escalation_raised_again_by_a_pattern_stays_raised():
    turns = conversation("my mums boyfriend hits me", "like with his belt", "im 12")
    assert assess_conversation(turns).escalates


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("ewythr fy ngŵr oedd o", "family_care"),
        ("tad y plant ydi o", "family_care"),
        ("trafod cyfres deledu roedden nhw", "fiction"),
        ("ni'n whare cwato", "house_rule"),
    ],
)
def test_welsh_who_it_was_a_programme_and_a_game_are_read(text, indicator):
    assert indicator in indicators(text)


def test_a_welsh_game_of_hide_and_seek_takes_back_being_shut_in():
    opener = "brawd fi'n mynd i gloi fi yn y sied"
    assert assess_conversation([welsh_turn(opener)]).escalates
    joined = welsh_turn(f"{opener} ni'n whare cwato lol").signals
    follow_up = replace(welsh_turn("ni'n whare cwato lol"), joined=joined)
    assert not assess_conversation([welsh_turn(opener), follow_up]).escalates


def test_an_animal_told_beside_a_man_outside_does_not_explain_him():
    assert "present_threat" in indicators_of("theres a man with a dog outside my house")
    assert "figurative" in indicators_of("theres a dog outside my door barking")


def test_a_pet_stuck_on_a_roof_explains_what_the_content_model_reads_as_danger():
    scores = {"danger": 0.98, "now": 1.0}  # what the content model said (measured)
    assert "mishap" in indicators_of("help the cat has got on the roof again")
    assert not decide_scored(
        "help!!! the cat has got on the roof again and wont come down", scores
    ).escalates
    assert decide_scored("help!!! the man has got my sister and wont let her go", scores).escalates


@pytest.mark.parametrize(
    "text",
    [
        "my mum will kill me if i dont tidy my room",
        "my coach will kill me if i dont pass the ball",
        "someone said theyd kill me if i didnt pass the ball lmao",
        "if i dont finish my homework my dad is going to kill me",
    ],
)
def test_a_kill_threat_over_a_chore_or_a_game_is_a_figure_of_speech(text):
    assert not decide(text).escalates, text


@pytest.mark.parametrize(
    "text",
    [
        "he said hed kill me if i didnt deliver the bag",
        "he said hed kill me if i dont keep quiet",
        "hes going to kill me if i dont sell it",
        "my dad said hed kill me if i didnt do what he said",
        "they said theyd stab me if i dont pay",
    ],
)
def test_a_kill_threat_over_a_demand_is_a_threat_to_life_whoever_makes_it(text):
    decision = decide(text)
    assert (decision.route, decision.priority) == (Route.DANGER, 1), text


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("wi ddim isie dihuno fory", "suicidal_thoughts"),
        ("nes i lyncu popeth oedd yn y cwpwrdd", "suicidal"),
        ("mae o di gadael neges yn deud diolch am bopeth, sori", "suicidal"),
        ("dwi di cael syniad sut i farw", "suicidal_thoughts"),
        ("mae ganddi doriadau newydd ar ei chluniau", "self_harm"),
        ("fy llystad yn hitio fi", "violence"),
        ("mae o'n cael ei dalu i watsio allan am heddlu", "criminal_exploitation"),
    ],
)
def test_welsh_self_harm_and_harm_in_plain_words_are_read(text, indicator):
    assert indicator in indicators(text), text


@pytest.mark.parametrize(
    "text",
    ["dwi di dewis diwrnod i fynd i'r sinema", "mae ganddo fo syniad sut i drwsio'r beic"],
)
def test_welsh_plans_of_ordinary_days_are_not_self_harm(text):
    assert not {"suicidal", "suicidal_thoughts"} & indicators(text), text


def test_a_child_paid_to_look_out_for_the_police_is_criminal_exploitation():
    assert "criminal_exploitation" in indicators_of("he gets paid to keep a look out for the feds")


def test_selling_raffle_tickets_takes_back_being_asked_to_sell_things():
    scores = {"disclosure": 0.99}  # what the content model said of the opener (measured)
    opener = "older lads at school want me to sell stuff for them"
    turns = conversation(opener, "raffle tickets for the summer fair lol", scores={opener: scores})
    assert assess_conversation(turns[:1]).escalates
    assert not assess_conversation(turns).escalates
    assert "figurative" in indicators("tocynnau raffl i'r Urdd")
    assert "criminal_exploitation" in indicators_of("they make me sell weed and raffle tickets")


def test_a_parent_hitting_them_is_violence_to_the_child_who_said_it():
    assert "violence" in indicators_of("a child told me their dad hits them with a slipper")


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("he says age is just a number", "sexual_talk"),
        ("mae o'n deud bod oed jyst yn rhif", "sexual_talk"),
        ("meeting the guy off snap at 8", "meet_up"),
        ("our 13 year old has gone again", "missing_now"),
        ("a neighbour saw her with the men from the takeaway", "child_with_adult"),
    ],
)
def test_a_grooming_line_a_meeting_from_an_app_and_a_child_gone_with_men_are_read(text, indicator):
    assert indicator in indicators_of(text) | indicators(text), text


def test_a_child_gone_again_and_seen_with_men_is_danger():
    decision = decide("foster carer, our 13yo has gone again and a neighbour saw her with the men")
    assert (decision.route, decision.priority) == (Route.DANGER, 1)
    assert not decide("our dog has gone again and a neighbour saw him by the river").escalates


def test_an_accident_in_the_family_explains_what_the_content_model_reads_as_danger():
    scores = {"danger": 0.98, "now": 0.97}  # what the content model said (measured)
    fall = "my grandma fell over in the garden and cant get up, ive rung 999, im holding her hand"
    assert "mishap" in indicators_of(fall)
    assert not decide_scored(fall, scores).escalates
    party = "my friend collapsed at the party after a man gave her a drink"
    assert "mishap" not in indicators_of(party)
    assert decide_scored(party, scores).escalates
