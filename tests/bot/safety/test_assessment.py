"""The conversation-level decision, from signals (the reviewed patterns, no classifier)."""

import pytest

from bot.content.catalogue import load_catalogue
from bot.safety.assessment import assess
from bot.safety.evidence import Turn
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet
from bot.safety.routes import Priority, Route, Subject
from bot.safety.signals import read_signals

PATTERNS = PatternSet(load_catalogue().safety_patterns)


def turn(text, scores=None, intent=None, after=None, language="en"):
    normalised = normalise(text)
    matches = PATTERNS.matches(normalised)
    signals = read_signals(normalised, matches, scores or {}, language, len(text.split()))
    return Turn(signals, f"m{abs(hash(text))}", intent, after)


def decide(*texts, audience=None):
    return assess([turn(t) for t in texts], audience)


def indicators_of(text):
    return set(turn(text).signals.indicators)


def test_a_word_of_time_alone_is_never_danger():
    for text in ("im going cinema tonight with my bf", "where can i get help right now"):
        assert decide(text).route is Route.NONE, text


def test_harm_happening_now_is_danger_and_harm_not_now_is_a_disclosure():
    now = decide("they make me sleep with men for weed and theyre outside my house right now")
    assert (now.route, now.priority) == (Route.DANGER, 1)
    told = decide("they make me sleep with men for weed")
    assert (told.route, told.priority) == (Route.DISCLOSURE, 2)


def test_someone_on_the_way_stays_danger_until_the_facts_arrive():
    turns = (
        "my ex is going to be here any minute",
        "hes 20 and im 14",
        "he says if i dont let him in hell post my nudes",
    )
    assert decide(*turns).priority == 1
    assert decide(*turns[1:]).priority == 2


def test_being_held_or_followed_home_is_danger_on_its_own():
    assert decide("im locked in his flat and cant get out").priority == 1
    assert decide("a man is following me home").priority == 1


def test_another_day_named_beside_right_now_does_not_calm_the_danger():
    held = "im at his flat and he wont let me leave right now, he brought me here on friday"
    assert decide(held).priority == 1
    taken = "last saturday he took me to his flat and right now he wont let me leave"
    assert decide(taken).priority == 1
    # a day named on its own still says when, and it was not now
    told = "last saturday he wont let me leave his flat"
    assert decide(told).priority is None
    assert decide(told.replace("last saturday", "right now")).priority == 1


def test_only_now_in_so_many_words_keeps_another_day_from_calming_it():
    # "just left", "currently", "for the night" are now-words that a story of another day uses
    story = "last saturday he wont let me leave his flat, then he just left for the night"
    assert decide(story).priority is None
    assert decide(story.replace("last saturday", "as we speak")).priority == 1
    # "not right now" says it is not now
    assert decide("not right now, on friday he wont let me leave his flat").priority is None


def test_someone_there_now_after_harm_told_as_past_is_danger():
    outside = "he raped me last year and now he is outside the cafe where i work"
    assert (decide(outside).route, decide(outside).priority) == (Route.DANGER, 1)
    # the past told with what he does now, not where he is, stays a disclosure
    told = decide("he raped me last year and now he wants to be friends")
    assert (told.route, told.priority) == (Route.DISCLOSURE, 2)
    assert decide("last year he raped me and he was outside my house every night").priority == 2


def test_someone_with_a_weapon_is_danger_even_in_a_few_words():
    # the content model is sure of harm; the few words say what is happening, not a feeling
    sure = {"danger": 0.95, "now": 0.95}
    for armed in ("hes got a knife", "theyve got a machete", "ma gyda fe gyllell"):
        language = "cy" if armed.startswith("ma ") else "en"
        decided = assess([turn(armed, sure, language=language)])
        assert (decided.route, decided.priority) == (Route.DANGER, 1), armed
    # a knife at the table, with the same scores, is asked about ("are you safe?"), not alarmed
    assert assess([turn("pass me the knife", sure)]).route is Route.CHECK_SAFE


def test_harm_the_content_model_is_sure_of_said_to_be_now_or_tonight_is_danger():
    # no pattern shows the harm, so the timing model must be sure unless a time is said
    scores = {"danger": 0.3, "disclosure": 0.31, "now": 0.46}
    for timed in ("right now", "tonight"):
        said = assess([turn(f"im really drunk and they keep laughing at me {timed}", scores)])
        assert (said.route, said.priority) == (Route.DANGER, 1), timed
    unsaid = assess([turn("im really drunk and they keep laughing at me", scores)])
    assert (unsaid.route, unsaid.priority) == (Route.DISCLOSURE, 2)


def test_facts_told_across_turns_add_up():
    turns = ["hi", "im 15", "i met someone online hes 19"]
    assert decide(*turns).route is not Route.DISCLOSURE
    later = decide(*turns, "he wants to meet up and says not to tell my mum")
    assert (later.route, later.priority, later.subject) == (Route.DISCLOSURE, 2, Subject.SELF)
    assert {"meet_up", "secrecy"} <= set(later.indicators)
    assert later.evidence_turns[-1] == 3


def test_an_adult_met_online_by_a_child_of_13_or_under_is_a_disclosure_and_at_15_a_question():
    at_13 = decide("hi", "im 13", "i met someone online hes 19")
    assert (at_13.route, at_13.priority) == (Route.DISCLOSURE, 2)
    assert "adult_with_child+met_online" in at_13.reasons
    assert decide("im 13", "met a guy on roblox", "hes 14").route is not Route.DISCLOSURE
    assert decide("im 15", "been talking to a guy on snap", "hes 19").route is not (
        Route.DISCLOSURE
    )


def test_the_same_age_is_not_an_adult_with_a_child():
    assert decide("im 15", "my boyfriend is 16 and he bought me a necklace").route is not (
        Route.DISCLOSURE
    )


def test_one_weak_sign_gets_the_gentle_check():
    assert decide("my bf is way older than me").route is Route.CHECK
    assert decide("help").route is Route.CHECK_SAFE
    assert decide("help").reasons == ("help_without_detail",)


def test_after_just_asking_the_weak_signs_stop_counting():
    asked = [
        turn("my bf is way older than me"),
        turn("no", intent="deny", after="utter_check_gentle"),
    ]
    assert assess(asked).route is Route.NONE


def test_yes_after_the_check_is_a_disclosure_or_for_an_adult_a_concern():
    young = [
        turn("my bf is way older than me"),
        turn("yes", intent="affirm", after="utter_check_gentle"),
    ]
    assert assess(young).route is Route.DISCLOSURE
    adult = [
        turn("my bf is way older than me"),
        turn("yes", intent="affirm", after="utter_check_gentle"),
    ]
    assert assess(adult, "parent").route is Route.CONCERN


def test_not_safe_after_are_you_safe_is_danger():
    turns = [turn("help"), turn("no", intent="deny", after="utter_check_safe_now")]
    assert assess(turns).priority == 1


def test_self_harm_is_its_own_route_now_or_not_now():
    urge = decide("i feel like hurting myself")
    assert (urge.route, urge.priority) == (Route.SELF_HARM, 2)
    now = decide("ive just taken a load of pills")
    assert (now.route, now.priority) == (Route.SELF_HARM, 1)
    thoughts = decide("sometimes i think everyone would be better off without me")
    assert (thoughts.route, thoughts.priority) == (Route.SELF_HARM, 2)
    friend = decide("my friend wants to kill herself")
    assert (friend.route, friend.subject) == (Route.SELF_HARM, Subject.FRIEND)


def test_who_it_is_about_follows_the_victim_the_people_named_or_the_writer():
    assert decide("my mate sent nudes to a guy and now hes asking for £200").subject is (
        Subject.FRIEND
    )
    assert decide("my daughter told me her coach touched her").subject is Subject.OWN_CHILD
    pupil = decide("a pupil told me her stepdad touches her", audience="professional")
    assert pupil.subject is Subject.CHILD_AT_WORK


def test_a_writer_who_gives_a_childs_age_is_a_young_person_whoever_the_slot_said():
    told = ("hes 25 and wants nudes", "im 14")
    assert decide(*told, audience="business").subject is Subject.SELF
    assert decide(*told[:1], audience="business").subject is Subject.CHILD_AT_WORK


@pytest.mark.parametrize(
    "text, subject",
    [
        # a parent named by a possessive or by the child's age
        (
            "I saw texts on my sons laptop from a man telling him to send pictures, he is 12",
            Subject.OWN_CHILD,
        ),
        (
            "my 13 year old has admitted a man from a game gets her to send photos for money",
            Subject.OWN_CHILD,
        ),
        # a carer's child is in their care
        (
            "kinship carer for my grandson, he told me a man pays him to send photos",
            Subject.CHILD_IN_CARE,
        ),
        (
            "Residential worker. One of our lads says an older man pays him for pictures",
            Subject.CHILD_IN_CARE,
        ),
        (
            "foster carer here, our girl told me a man of 30 makes her have sex for vodka",
            Subject.CHILD_IN_CARE,
        ),
        # business staff named by their premises or their role
        (
            "I run a chip shop and a girl of 13 told me a man of 40 makes her do sexual stuff",
            Subject.CHILD_AT_WORK,
        ),
        (
            "doorman here, a girl of 14 says men are making her have sex with them for money",
            Subject.CHILD_AT_WORK,
        ),
        # the writer among those harmed
        (
            "me and my mate are 13 and a man of 30 made us do sexual stuff for vapes",
            Subject.SELF,
        ),
    ],
)
def test_who_is_writing_decides_who_it_is_about(text, subject):
    assert decide(text).subject is subject


@pytest.mark.parametrize(
    "opening",
    ["I'm a foster carer", "I work in a children's home", "Residential home staff here"],
)
def test_a_carers_our_girl_later_in_the_conversation_is_still_a_child_in_their_care(opening):
    told = (opening, "Our 15 year old told me a man of 30 makes her have sex for vodka")
    assert decide(*told).subject is Subject.CHILD_IN_CARE
    assert decide(*told[1:]).subject is Subject.OWN_CHILD


@pytest.mark.parametrize(
    "opening, subject",
    [
        ("I'm a youth worker", Subject.CHILD_AT_WORK),
        ("I'm on shift at a children's residential home", Subject.CHILD_IN_CARE),
    ],
)
def test_one_of_our_girls_is_a_child_the_writer_works_with_not_their_own(opening, subject):
    told = (opening, "One of our girls, 14, told me a man of 30 makes her have sex for vodka")
    assert decide(*told).subject is subject


def test_signs_about_a_child_from_an_adult_are_a_concern():
    concern = decide("my 14 year old daughter has a new phone and keeps going missing overnight")
    assert (concern.route, concern.priority) == (Route.CONCERN, None)


def test_a_language_the_bot_does_not_speak_gets_an_honest_answer_and_welsh_is_spoken():
    polish = assess([turn("cześć, jak się masz dzisiaj", language="other")])
    assert polish.route is Route.LANGUAGE
    welsh = assess([turn("sut mae, dw i eisiau siarad yn gymraeg", language="cy")])
    assert welsh.route is Route.NONE


def test_the_classifier_counts_only_with_a_cue_unless_it_is_sure():
    cue = turn("my bf is way older than me", {"disclosure": 0.5})
    assert assess([cue]).route is Route.DISCLOSURE
    no_cue = turn("something happened to me at the weekend", {"disclosure": 0.5})
    assert assess([no_cue]).route is Route.CHECK
    sure = turn("something happened to me at the weekend", {"disclosure": 0.95})
    assert assess([sure]).route is Route.DISCLOSURE
    fragment = turn("hes 16 and im 15", {"disclosure": 0.95})  # too short to judge alone
    assert assess([fragment]).route is not Route.DISCLOSURE
    # classmates chatting: only the reviewed patterns judge it, not the classifier
    peers = turn("its a boy from her class, they have been chatting for weeks", {"disclosure": 0.9})
    assert assess([peers]).route is Route.NONE
    # a part in a play: the same
    part = turn("in our drama play im the girl who gets groomed", {"disclosure": 0.9})
    assert assess([part]).route is Route.NONE


def test_the_timing_model_makes_danger_only_of_what_is_already_harm():
    ordinary = turn("my mates are coming round tonight", {"now": 0.99})
    assert assess([ordinary]).route is Route.NONE
    harmful = turn("they make me sleep with men for weed", {"now": 0.99})
    assert assess([harmful]).priority == 1


def test_a_fragment_with_only_a_feeling_or_a_place_gets_are_you_safe():
    # the content model reads "I am scared" as danger; a fragment only earns the question
    for text in ("im scared", "im hiding in the toilets"):
        assert assess([turn(text, {"danger": 0.9, "now": 0.9})]).route is Route.CHECK_SAFE, text
    said_what = turn("im scared he said he will hurt me", {"danger": 0.9, "now": 0.9})
    assert assess([said_what]).priority == 1


def test_a_child_missing_stays_missing_until_the_person_says_they_are_safe():
    missing = (
        "my daughter is 13 and she has not come home",
        "she was meant to be back by 6",
        "shes been getting picked up by older lads in a car",
    )
    assert decide(*missing).priority == 1
    assert decide(*missing[:2], "shes home now and safe").priority != 1


def test_he_is_going_to_kill_me_alone_gets_are_you_safe_and_with_harm_is_danger():
    for scores in ({}, {"danger": 0.92, "now": 0.89}):  # the route classifier's reading too
        alone = assess([turn("hes gonna kill me", scores)])
        assert alone.route is Route.CHECK_SAFE, scores
    assert decide("hes gonna kill me").reasons == ("threat_without_detail",)
    with_harm = decide("my boyfriend hits me", "hes gonna kill me")
    assert (with_harm.route, with_harm.priority) == (Route.DANGER, 1)
    reported = decide("they said theyll kill me if i tell")
    assert (reported.route, reported.priority) == (Route.DANGER, 1)


def test_going_missing_a_number_of_times_this_week_is_a_pattern_not_missing_now():
    picked_up = "shes been getting picked up by older lads in a car"
    assert decide("my daughter is 13 and she has gone missing", picked_up).priority == 1
    for pattern in ("three times this month", "overnight twice this week"):
        told = decide(f"my daughter is 13 and she has gone missing {pattern}", picked_up)
        assert (told.route, told.priority) == (Route.DISCLOSURE, 2), pattern


def test_suicidal_intent_told_with_the_person_now_safe_is_not_priority_1():
    now = decide("a pupil wrote that she wants to kill herself")
    assert (now.route, now.priority) == (Route.SELF_HARM, 1)
    settled = decide(
        "a pupil wrote that she wants to kill herself", "shes with the counsellor now and shes safe"
    )
    assert (settled.route, settled.priority) == (Route.SELF_HARM, 2)


def test_what_was_just_found_is_not_happening_now():
    found = decide("ive just found messages on my daughters ipad", "a man asked her for nudes")
    assert found.route is Route.DISCLOSURE and found.priority == 2


def test_money_from_a_relative_is_one_sign_not_two():
    assert not decide("my uncle gives me money every week").escalates


def test_what_the_person_read_about_children_in_general_is_not_their_situation():
    decision = decide("I read that children are being groomed through games.", "My son is 9.")
    assert not decision.escalates


def test_a_reassurance_leaves_the_judgement_to_the_patterns():
    scores = {"danger": 0.8, "now": 0.72}  # what the content model said of this message
    calm = decide_scored("hes not being weird he just wants his hoodie back", scores)
    assert not calm.escalates
    assert decide_scored("he is being weird and he wants me to come to his flat", scores).escalates


def decide_scored(text, scores):
    return assess([turn(text, scores)])


def test_a_demand_for_money_after_images_were_sent_is_harm():
    assert decide("i sent him nudes last week", "now hes asking for 200 quid").escalates
    assert not decide(
        "How much pocket money is normal for a 13 year old?", "She wants £20 a week"
    ).escalates


def test_a_sports_injury_told_by_a_teacher_is_not_danger():
    assert not decide(
        "I'm a PE teacher",
        "A pupil got hit in the face by a hockey ball and there was blood everywhere",
    ).escalates


def test_an_alarm_explained_as_family_or_a_booked_taxi_is_not_escalated():
    assert not decide(
        "i got picked up by a man in a car after school it was my uncle, mum asked him"
    ).escalates
    assert not decide(
        "Our daughter got in a car with a man last night, it was an Uber I booked for her"
    ).escalates


def test_a_child_missing_is_not_danger_once_they_are_known_to_be_at_a_friends():
    missing = (
        "My 14 year old daughter hasnt come home and her phone is off, "
        "shes been seeing an older man"
    )
    assert decide(missing).priority == Priority.DANGER
    assert decide(missing, "shes at her nans, nan just rang me").priority != Priority.DANGER


def test_a_general_question_said_later_to_be_about_them_escalates():
    asked = "what happens if u tell childline u self harm"
    assert decide(asked, "do they tell ur parents").route is Route.NONE
    assert decide(asked, "do they tell ur parents", "asking for me").route is Route.SELF_HARM
    friend = "is there a number for if ur friend said theyre gonna kill themselves"
    assert not decide(friend).escalates
    assert decide(friend, "she said it on snap like an hour ago").route is Route.SELF_HARM


def test_someone_outside_now_who_harmed_the_writer_before_is_danger():
    now = decide("hes outside the shop now its the man who touched me last year")
    assert (now.route, now.priority) == (Route.DANGER, 1)


def test_someone_there_now_said_before_a_past_harm_is_danger():
    now = decide("hes outside the shop now, he touched me last year")
    assert (now.route, now.priority) == (Route.DANGER, 1)
    assert decide("my mum is outside now, we went to the beach last year").route is Route.NONE


@pytest.mark.parametrize(
    "text",
    [
        "Night manager. Cash booking, two teenage girls just went up with him, one can barely walk",
        "Residential worker. YP (15) has just rung from a car on the M4 with older males",
        "My 15 year old is at a known dealer's house as we speak",
    ],
)
def test_what_staff_and_carers_see_now_is_danger(text):
    assert decide(text).priority == Priority.DANGER


def test_a_car_with_family_or_workmates_is_not_being_taken():
    assert decide("im in the car with my dad and grandad").route is Route.NONE
    assert not decide("sitting in the car with two blokes from dads work waiting for dad").escalates


def test_a_threat_of_trouble_with_a_demand_for_images_is_harm_and_from_mum_it_is_not():
    demand = "he wants a pic of me in the shower now says ill be in trouble if i dont"
    assert decide(demand).escalates
    assert decide("my mum says ill be in trouble if i dont tidy my room").route is Route.NONE


def test_kept_in_till_the_homework_is_done_or_by_a_little_brother_is_not_being_held():
    homework = "he wont let me leave till ive finished my homework so annoying"
    assert decide(homework).route is Route.NONE
    assert decide("my brother wont let me leave my room").route is Route.NONE
    assert decide("my older brother wont let me leave the house").escalates
    assert decide("he wont let me leave until i do what he wants").priority == Priority.DANGER
    assert decide("im in his flat and he says im not leaving till i apologise").escalates


def test_the_episode_where_someone_is_taken_is_television():
    assert (
        decide(
            "did u see that drama last night", "the one where the girl gets taken by the guy"
        ).route
        is Route.NONE
    )


def test_what_has_gone_on_for_weeks_or_was_seen_on_occasions_is_a_habit_not_now():
    habit = decide("its been happening since summer")
    assert "habitual" in indicators_of("its been happening since summer")
    assert not habit.escalates
    assert "habitual" in indicators_of("staff have twice observed her getting into a car")
    assert "habitual" in indicators_of("over the past three weeks her attendance has fallen")


def test_home_after_being_missing_is_safe_now():
    assert "safe_now" in indicators_of("hes just come back after being missing for 3 days")


def test_they_said_i_owe_them_is_one_warning_sign_not_two():
    owed = decide("they said i owe them")
    assert not owed.escalates
    assert owed.route is Route.CHECK


def test_the_timing_model_needs_more_than_a_fragment_naming_one_sign():
    scores = {"danger": 0.84, "now": 0.5}
    fragment = assess([turn("they said i owe them", scores)])
    assert fragment.priority != Priority.DANGER
    outside = assess([turn("they said i owe them and hes outside", scores)])
    assert outside.priority == Priority.DANGER


def test_a_parent_taking_pictures_is_not_a_family_outing():
    assert "family_care" not in indicators_of("my dad takes pictures of me in the bath")
    assert "family_care" in indicators_of("my dad takes me to football on saturdays")


def test_meeting_someone_older_met_online_is_grooming_and_soon_is_danger():
    meeting = decide("im meeting a guy from snap in half an hour at the park, hes 25")
    assert meeting.priority == Priority.DANGER
    assert any(r.startswith("older+") and "met_online" in r for r in meeting.reasons)
    assert not decide("my sister is 22 and going on a date with a man from hinge").escalates


def test_a_threat_to_share_unless_a_naked_picture_is_sent_is_sextortion():
    threat = "he said if i dont send a naked pic hes putting the others on the school group"
    assert "sextortion" in indicators_of(threat)
    assert "sextortion" not in indicators_of("if i dont send a pic of my outfit mum will moan")


def test_things_he_does_when_i_stay_over_are_abuse_and_fun_things_are_not():
    assert "sexual_abuse" in indicators_of("my uncle does weird things when i sleep over")
    assert "sexual_abuse" not in indicators_of("he does fun things when we stay at the caravan")


def test_danger_now_outranks_self_harm_that_is_not_happening_now():
    decision = decide(
        "i used to cut myself",
        "theres a man outside my house now and he says hell hurt me if i dont come out",
    )
    assert (decision.route, decision.priority) == (Route.DANGER, Priority.DANGER)
    assert "self_harm" in decision.indicators  # the duty worker sees what was told before
    still = decide("i used to cut myself", "i cut again last night")
    assert still.route is Route.SELF_HARM


def test_not_safe_said_alone_is_danger():
    assert decide("not safe rn").route is Route.DANGER


def test_a_question_about_hiding_cuts_answered_me_is_self_harm():
    assert decide("how do u hide cuts from ur mum").route is Route.CHECK
    assert decide("how do u hide cuts from ur mum", "me").route is Route.SELF_HARM


def test_an_adult_partner_at_14_is_a_question_and_at_13_harm():
    assert decide("im 13 and my boyfriend is 24").route is Route.DISCLOSURE
    assert decide("im 14 and my boyfriend is 24").route is Route.CHECK
    assert decide("my friend is 14 and her boyfriend is 24").route is Route.CONCERN
    assert decide("my friend is 15 and her boyfriend is 16").route is Route.NONE
