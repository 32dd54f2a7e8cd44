"""English patterns: everyday words that sound like harm, and the harm they must not hide.

Read as the reviewed patterns read them (no classifier), so each case fails if its pattern goes.
"""

import pytest

from bot.safety.routes import Route
from tests.bot.safety.test_assessment import decide, indicators_of


@pytest.mark.parametrize(
    "text",
    [
        "physics is abusing me rn",
        "this essay is literally abusing me",
        "My son literally said I'm abusing him by making him tidy his room",
        "mum said she'll kill me if i fail my mocks",
        "my dad says he'll kill me if i get mud in the new car",
        "someone on among us said they'd kill me first round",
        "this guy keeps hunting me down and killing me every single time i spawn",
        "got kidnapped by my nan for the whole weekend lol she took me to blackpool",
        "escape room with my cousins, we've got 10 mins left and we're locked in",
        "we're doing a mock escape room called Kidnapped, is that ok for 11 year olds?",
        "the men in the flat upstairs have been drilling all day",
        "Uncle Dave taking the boys fishing at 5am, they'll be dead on their feet",
    ],
)
def test_a_figure_of_speech_is_read_as_one(text):
    assert "figurative" in indicators_of(text)
    assert decide(text).route is Route.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        "my coach is abusing me",
        "my pe teacher is abusing me",
        "my manager is abusing me at work im 16",
        "my coach is literally abusing me",
    ],
)
def test_a_person_abusing_the_writer_is_never_a_figure_of_speech(text):
    assert "figurative" not in indicators_of(text)
    assert decide(text).route is Route.DISCLOSURE, text


@pytest.mark.parametrize(
    "text",
    [
        "he said he'll kill me if i tell anyone",
        "hes gonna kill me if i ever leave him",
        "they said theyll stab me if i dont bring the money",
        "they'd kill him if he stopped selling for them",
        "my dad will kill me if i tell",
    ],
)
def test_a_threat_to_kill_for_telling_or_leaving_stays_a_threat(text):
    assert "threat_to_life" in indicators_of(text)
    assert decide(text).priority == 1, text


def test_being_beaten_is_sport_only_with_a_score_or_a_game():
    for text in ("we got battered 5 nil today", "got beaten by year 9 at football"):
        assert decide(text).route is Route.NONE, text
    for text in (
        "help my brother is getting beaten outside by the men he runs for, hes 15",
        "he got beaten up today",
    ):
        assert "violence" in indicators_of(text), text
        assert decide(text).route in (Route.DANGER, Route.DISCLOSURE), text


def test_a_book_or_a_story_written_in_class_is_fiction():
    for text in (
        "the book we're doing in english, a girl gets kidnapped by pirates, it's actually good",
        "my english teacher made us write a story about being kidnapped by aliens",
    ):
        assert "fiction" in indicators_of(text)
        assert decide(text).route is Route.NONE, text


def test_a_pet_gone_for_days_is_not_a_child_missing():
    text = "my cat has been gone since tuesday and im so scared shes been hit by a car"
    assert "missing_now" not in indicators_of(text)
    assert decide(text).route not in (Route.DANGER, Route.DISCLOSURE)
    assert "missing_now" in indicators_of("my daughter has been gone since tuesday")


def test_kept_at_the_table_is_a_house_rule():
    text = "she wont let me leave the table till ive eaten my broccoli"
    assert "house_rule" in indicators_of(text)
    assert decide(text).route is Route.NONE


def test_an_overdose_told_without_i_is_an_overdose_and_a_headache_pill_is_not():
    for text in ("took tablets an hour ago", "just swallowed loads of pills", "took pills"):
        assert (decide(text).route, decide(text).priority) == (Route.SELF_HARM, 1), text
    assert decide("took tablets for my headache").route is Route.NONE


def test_not_wanting_to_be_here_without_i_is_not_a_question():
    assessment = decide("dont want to be here anymore since the pics got out")
    assert assessment.route is Route.SELF_HARM


def test_someone_from_an_app_picking_a_child_up_soon_is_danger():
    text = "guy from snap is picking me up in 10 mins, hes 26 i think, said dont tell anyone"
    assert {"met_online", "picked_up", "imminent", "secrecy"} <= indicators_of(text)
    assert decide(text).priority == 1
    # a date picking the writer up for the prom says nothing of who he is
    assert decide("hes picking me up at 7 for prom!!").route is Route.NONE


def test_a_threat_to_send_a_video_with_minutes_given_is_sextortion_now():
    text = "told to strip for the cam or they send the vid to my dad. gave me 5 mins"
    assert {"sextortion", "imminent"} <= indicators_of(text)
    assert decide(text).priority == 1


def test_pay_or_he_sends_them_with_an_hour_given_is_sextortion_now():
    # "or he sends them": the threat's verb with its -s had not been read (2026-12-06)
    text = "a guy saying i have an hour to send £100 or he sends them to all my followers"
    assert {"sextortion", "imminent"} <= indicators_of(text)
    assert decide(text).priority == 1


def test_an_abuser_collecting_a_child_today_is_danger():
    text = "my friend is 13 and her uncle makes her do stuff, hes collecting her from school today"
    assert "imminent" in indicators_of(text)
    assert decide(text).priority == 1


def test_a_relative_taking_a_child_to_football_is_a_family_outing_not_a_cover():
    assert "family_care" in indicators_of("in the car with my uncle hes taking me to football")
    abuse = decide("my uncle takes me to football and touches me in the car")
    assert abuse.route is Route.DISCLOSURE


def test_a_friends_mum_being_there_reassures_only_when_that_is_all():
    assert "reassured" in indicators_of("party at my mates flat tonight her mums there")
    assert "reassured" not in indicators_of("his dad is there but hes drunk and touching me")


def test_a_meeting_tonight_is_still_tonight_when_the_facts_arrive_later():
    turns = (
        "im meeting someone tonight",
        "weve been talking on insta for months",
        "hes 28 but says age doesnt matter",
        "im 13",
    )
    assert decide(*turns).priority == 1
    assert decide("im meeting someone next week", *turns[1:]).priority == 2


def test_an_adults_sharing_of_a_childs_pictures_asked_about_as_normal_is_image_abuse():
    turns = ("is it normal for your bf to share your pics with his mates", "hes 18 and im 14")
    assert "asks_for_self" in indicators_of(turns[0])
    assert decide(*turns).route is Route.DISCLOSURE
    assert decide(turns[0], "hes 15 and im 14").route is not Route.DISCLOSURE


def test_made_to_do_stuff_with_a_group_is_sexual_abuse_and_in_a_hotel_room_it_is_now():
    text = "in a hotel room with my bf and his mates and they want me to do stuff with all of them"
    assert {"sexual_abuse", "now"} <= indicators_of(text)
    assert decide(text).priority == 1
    assert "sexual_abuse" not in indicators_of("my mum wants me to do stuff with my cousins")
    assert decide("in a hotel room with my family for the holidays").route is Route.NONE


@pytest.mark.parametrize(
    "text, explained_by",
    [
        ("my little brother keeps coming in my room and stealing my charger", "figurative"),
        ("my brother wont get out the bathroom hes been in there an hour", "house_rule"),
        ("im hiding in the toilets so i dont have to do the bleep test", "figurative"),
        ("The man upstairs keeps hoovering at midnight", "figurative"),
        ("Hotel guest locked himself out of his room in his towel at 2am", "figurative"),
    ],
)
def test_home_and_school_annoyances_are_explained_so_the_classifier_is_not_asked(
    text, explained_by
):
    assert explained_by in indicators_of(text)
    assert decide(text).route is Route.NONE, text


def test_a_sibling_in_my_room_is_harm_unless_it_is_to_take_something():
    assert decide("my stepbrother keeps coming in my room and touching me").route is (
        Route.DISCLOSURE
    )
    assert "distress_now" in indicators_of("im hiding in the toilets from him so he cant find me")


def test_a_child_picked_up_by_her_dad_is_family_care():
    text = "My daughter is being picked up from the station by her dad at 10pm tonight"
    assert "family_care" in indicators_of(text)


def test_a_childs_phone_showing_her_at_a_hotel_when_she_said_a_friends_is_danger():
    text = (
        "snap map has my daughter at a travelodge 30 miles away, she said she was staying at "
        "amys, amys mum says shes not there. shes been talking to an older man online"
    )
    assert "missing_now" in indicators_of(text)
    assert decide(text).priority == 1
    assert "missing_now" not in indicators_of("snap map is so creepy, everyone can see you")


def test_being_held_down_is_violence_now_and_a_brothers_tickling_is_not():
    text = "two of them are holding me down"
    assert {"violence", "now"} <= indicators_of(text)
    assert decide(text).priority == 1
    play = "my brother held me down and tickled me till i cried laughing"
    assert decide(play).route is Route.NONE


def test_a_child_not_home_is_now_even_beside_something_from_last_week():
    text = (
        "My 14 year old daughter hasn't come home and her phone's off, she's been seeing an "
        "older man we reported last month"
    )
    assert {"missing_now", "said_now", "past"} <= indicators_of(text)
    assert decide(text).priority == 1
    told = "last week she didnt come home and a man dropped her off"
    assert "said_now" not in indicators_of(told)


def test_a_scene_in_drama_is_fiction_and_a_lift_starting_again_is_not_self_harm():
    assert "fiction" in indicators_of("in drama we did a scene where i got kidnapped lol")
    assert "self_harm" not in indicators_of("stuck in the lift for 5 mins but it started again")
    assert "self_harm" in indicators_of("i used to cut and i think shes started again")


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("they gave us pills and now i feel really weird", "spiked"),
        ("he took me to his mates house and more men are arriving", "now"),
        ("one of our year 9 girls has gone missing from the group", "missing_now"),
        ("nobody cares about me so whats the point", "suicidal_thoughts"),
    ],
)
def test_harm_and_now_told_in_plain_facts(text, indicator):
    assert indicator in indicators_of(text)


def test_men_who_keep_coming_in_is_what_usually_happens_not_now():
    text = "a group of men keep coming in with different young girls"
    assert "now" not in indicators_of(text)


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("year 8 pupil wrote 'i wont be here next year' on her book", "suicidal_thoughts"),
        ("gave my xbox to my little brother today. i wont need it", "suicidal_thoughts"),
        ("just tired of being alive", "suicidal_thoughts"),
        ("ive been searching online how to... you know", "suicidal_thoughts"),
        ("he said this was the last time youd see him", "suicidal_thoughts"),
        ("found pencil sharpener blades under my sons mattress", "self_harm"),
    ],
)
def test_warning_signs_of_suicide_told_without_its_words(text, indicator):
    assert indicator in indicators_of(text)


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("its the man from the game", "met_online"),
        ("a man from online booked it", "met_online"),
        ("he said he was 16 but hes not hes old", "older_person"),
        ("i gave him my address", "private_contact"),
        ("theyre filming me", "image_request"),
        ("school finishes in like 20 mins", "imminent"),
        ("i just want to disappear like forever", "suicidal_thoughts"),
        ("she said doesnt matter, it wont matter soon anyway", "suicidal_thoughts"),
        ("what happens if u tell someone ur thinking of killing urself", "suicidal_thoughts"),
        ("is it bad if u cut", "self_harm"),
        ("man and a schoolgirl buying condoms and vodka", "child_with_adult"),
        ("he said id get a new phone if i let him. so i let him", "sexual_exploitation"),
        ("just climbed out her window and got into a silver car", "missing_now"),
        ("he says he has to meet a guy from london tonight", "meet_up"),
        ("my foster son has just been collected by a taxi none of us booked", "picked_up"),
    ],
)
def test_warning_signs_told_in_a_young_persons_own_words(text, indicator):
    assert indicator in indicators_of(text)


def test_a_question_about_self_harm_answered_with_i_am_is_about_the_writer():
    confirmed = decide(
        "what happens if u tell someone ur thinking of killing urself",
        "does it get reported",
        "cos i am",
    )
    assert confirmed.route is Route.SELF_HARM


def test_a_photo_made_into_nudes_is_image_abuse_and_a_faceswap_with_the_dog_is_not():
    # a school photo made into nudes had only the content model to catch it (2026-12-06)
    assert "image_abuse" in indicators_of("someone made my school photo into nudes")
    assert "image_abuse" in indicators_of("he turned her selfie into porn")
    assert "image_abuse" not in indicators_of("did a faceswap with my dog lol")
