"""Alarming words the same message explains away, and the harm such explanations must not hide.

"Thought someone was following me but it was my brother", a goose, an overdose of sweets, being
followed on Instagram: everyday life told in the words of danger. Read as the reviewed patterns
read them (no classifier), so each case fails if its pattern goes.
"""

import pytest

from bot.safety.indicators import EXPLAINING
from bot.safety.routes import Route
from tests.bot.safety.test_assessment import decide, indicators_of


@pytest.mark.parametrize(
    "text",
    [
        "thought i was getting kidnapped when the car pulled up but it was my dad lol",
        "someone was following me home but it was my brother messing about",
        "theres a man following me to the bus stop lol its my dad i forgot my lunch",
        "someone outside my window... its just the cat wanting in",
        "someone beeping outside at 6am. turned out to be my colleague wanting a lift",
        "someone is following me on insta and it's my nan",
        "i'm being chased by a goose at the park this is not a drill",
        "i overdosed on sweets at halloween and was sick everywhere",
        "this homework is an overdose of algebra",
        "i took loads of pics at the zoo today",
        "i got told i cant go on the school trip cuz i didnt bring the form back",
        "kms this maths test lol",
        "my mum posted a baby photo of me on facebook i want to die lol",
        "ive been kidnapped by homework",
        "being held hostage at my grans she wont stop feeding me",
        "he wont stop texting me about the group project",
        "we got trapped in the house bc the snow was so deep",
        "mum says im locked in my room till my revision is done",
        "manager wont let me leave till the tables are cleaned",
        "my dad wont let me go into town with my mates",
        "first shift at the chippy tonight im scared ill burn myself",
        "help im being attacked by my little cousin with a pillow",
        "attacked by the twins with a water pistol",
        "got locked in the walk-in freezer because the handle's broken",
        "theres a car following me in gta and i cant lose the cops",
        "police car behind us for ages with its lights on and then it just overtook us lol",
        "someone was following me home!! jk it was my sister walking behind me",
        "my sister has kidnapped my hoodie again",
        "my son says he's being held hostage by his english coursework",
        "we're being held in the hall cos someone set the fire alarm off",
        "my mate has been kidnapped by her family for a week in wales",
        "my friend wont let me leave the call, she's going on about her crush",
        "i literally wanted to die when my crush saw me fall up the stairs",
        "so we cant go on games in ict",
        "my dad just rang to say he's outside, he's at the wrong school",
        "can't breathe in this hoodie, its 25 degrees",
        "the pe teacher literally murdered us in cross country",
        "im stuck at the bus stop, the 42 hasnt come for 45 mins",
        "my brothers mates are coming round for his 18th tonight",
        "my nan says the police will come and take me away if i dont eat my veg",
        "im trapped under my cat and cant move",
        "hiding in the wardrobe playing hide and seek",
        "my teacher took my phone and wont give it back till end of day",
        "help, my 4 year old has locked herself in the bathroom",
        "someone got into my roblox account, cant get back in",
        "im locked in on fortnite w my mates final circle",
        "i cant get out theyve locked us in its an escape room for my mates bday",
        "watching scream and ghostface has got a knife and hes coming up the stairs",
        "being chased by the cops in gta with 5 stars",
        "hiding in the airing cupboard from my brother hes it and hes been looking for 10 mins",
        "rang the school office and they're keeping him in reception until I get there",
        "drunk lads at 2am shouting, put them out and locked the door",
        "fire drill today and a year 1 hid under the table cos he thought it was real",
    ],
)
def test_an_alarm_explained_in_the_same_message_does_not_escalate(text):
    assert not decide(text).escalates, text


@pytest.mark.parametrize(
    "text",
    [
        "he wont stop touching me",
        "he wont stop n i cant get out",
        "ive been here 2 days they wont let me go out",
        "i want to die lol but like actually",
        "she has taken loads",
        "took an overdose of paracetamol",
        "he said get in or ill tell your dad what you did",
        "im at a party at some guys flat and they wont let me leave, phone on 4%",
        "i cant go on anymore",
    ],
)
def test_the_words_that_explain_alarms_do_not_hide_harm(text):
    assert decide(text).escalates, text


def test_an_excuse_told_for_injuries_is_not_an_explanation():
    assert "known_visitor" not in indicators_of(
        "my bestie has cuts all up her arm, says its the cat"
    )
    assert "known_visitor" not in indicators_of("it happened at a sleepover, it was my friends dad")
    for relation in ("stepdad", "uncle", "cousin"):
        text = f"someone was in my room at night but it was my {relation}"
        assert not EXPLAINING & indicators_of(text), text
    assert "figurative" not in indicators_of("thought he was a stranger but it was my uncle")


def test_the_person_at_the_door_is_read_even_without_the_apostrophe():
    assert "present_threat" in indicators_of("someones at the door")
    assert "stalked_now" in indicators_of("someones following me rn")
    assert "present_threat" not in indicators_of("i ran im in someones garden")


def test_someone_with_a_weapon_and_nothing_else_is_asked_whether_they_are_safe():
    assert decide("he has got a knife").route is Route.CHECK_SAFE


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("i cant get home he took my phone", "lost_now"),
        ("hes got my phone and i cant get back", "lost_now"),
        ("i just cant carry on and nobody cares", "suicidal"),
    ],
)
def test_narrowed_alarms_still_read_the_real_thing(text, indicator):
    assert indicator in indicators_of(text)


def test_a_ring_doorbell_a_scream_or_something_sinister_is_not_a_film():
    for text in (
        "i can see him on the ring doorbell",
        "a hotel on the ring road",
        "i heard her scream, they wont let her out",
        "it felt sinister, the way he kept texting her",
    ):
        assert "fiction" not in indicators_of(text), text
