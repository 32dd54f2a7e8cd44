"""An alarm the next message shows was ordinary, and one it shows was not.

"Someone's threatening to post a picture of me" / "my brother, it's me aged 6": the person says
who or what it was. Saying who someone is explains their being there, never what they did:
"someone does stuff to me at night that I don't want" / "it's my dad" is a disclosure still. A
person's own "false alarm" or "sorry to panic" explains the content model's alarm; an alarm told
in two messages can be taken back only by such an explanation.

From two tuning sets written by separate authors on this theme (English ``dd`` and Welsh ``o``,
2026-12-06); the cases here are reworded so they test the reading, not the set.
"""

from dataclasses import replace

import pytest

from bot.safety.component import read_message
from bot.safety.evidence import Turn
from bot.safety.normalise import normalise
from bot.safety.routes import Route
from bot.safety.welsh import dictionary_headwords
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import decide, indicators_of, turn
from tests.bot.safety.test_deadlines_threats_and_ways_out import welsh_turn
from tests.bot.safety.test_welsh_patterns import PATTERNS, indicators, welsh
from tests.bot.safety.test_withdrawal import conversation

# what the content model said of each (measured on the trained model), alone and read together
DOES_STUFF = "someone does stuff to me at night that i dont want"
WELSH_DOES_STUFF = "mae rhywun yn neud petha i fi yn y nos dwi ddim isio"


@pytest.mark.parametrize(
    "alarm, who, read",
    [
        (DOES_STUFF, "its my dad", turn),
        (DOES_STUFF, "it was only my uncle lol", turn),
        (WELSH_DOES_STUFF, "fy nhad i yw e", welsh_turn),
        (WELSH_DOES_STUFF, "wncwl Huw ydi o", welsh_turn),
        (DOES_STUFF, "my step dad 😂", turn),
        (WELSH_DOES_STUFF, "brawd mawr fi lol", welsh_turn),
    ],
)
def test_saying_who_it_was_does_not_take_back_what_they_did(alarm, who, read):
    together = f"{alarm} {who}"
    scores = {alarm: {"disclosure": 0.93}, together: {"disclosure": 0.9}}
    turns = conversation(alarm, who, scores=scores, read=read)
    assert assess_conversation(turns[:1]).route is Route.DISCLOSURE
    decision = assess_conversation(turns)
    assert decision.route is Route.DISCLOSURE and not decision.withdrawn, who


@pytest.mark.parametrize(
    "alarm, who, read",
    [
        ("theres a man outside our house", "oh its the postman", turn),
        ("ma na ddyn tu allan i'r tŷ ers awr", "boi sy'n dod i drwsio'r boiler di o", welsh_turn),
        ("ma dyn yn sefyll tu fas i'r ysgol bob dydd", "syrfëwr o'r cyngor yw e", welsh_turn),
        ("mae na ddyn yn rhoi pres i fi bob wythnos", "bos y rownd bapur di o", welsh_turn),
    ],
)
def test_saying_who_someone_there_was_takes_the_alarm_back(alarm, who, read):
    together = f"{alarm} {who}"
    scores = {alarm: {"danger": 0.9, "disclosure": 0.6, "now": 0.9}, together: {"danger": 0.9}}
    turns = conversation(alarm, who, scores=scores, read=read)
    assert assess_conversation(turns[:1]).escalates
    assert assess_conversation(turns).withdrawn, who


@pytest.mark.parametrize(
    "text",
    [
        "false alarm sorry",
        "omg sorry to panic",
        "it was all a misunderstanding",
        "i got the wrong end of the stick",
        "turns out he is totally legit",
        "sori am y panic",
        "larwm ffug",
        "fi nath ei ddarllen o'n rong",
        "camddealltwriaeth oedd o i gyd",
    ],
)
def test_the_persons_own_false_alarm_is_read(text):
    assert "false_alarm" in indicators_of(text) | indicators(text)


@pytest.mark.parametrize(
    "text", ["sorry to worry you", "i feel so stupid now", "nvm its fine", "teimlo'n dwp nawr"]
)
def test_what_children_say_after_telling_real_harm_is_not_a_false_alarm(text):
    assert "false_alarm" not in indicators_of(text) | indicators(text)


WORRIED = "a man keeps messaging my daughter and she is going out tonight"
LIFT = "he said hes picking her up from the end of the road"


def test_a_false_alarm_takes_back_an_alarm_the_content_model_raised():
    explained = "false alarm, i got the wrong end of the stick"
    scores = {
        WORRIED: {"danger": 0.8, "now": 0.9},
        f"{WORRIED} {explained}": {"danger": 0.8, "now": 0.9},
    }
    turns = conversation(WORRIED, explained, scores=scores)
    assert assess_conversation(turns[:1]).escalates
    assert assess_conversation(turns).withdrawn


def test_a_false_alarm_does_not_take_back_harm_the_patterns_show():
    turns = conversation("my uncle touches me when mum is at work", "sorry to panic its fine")
    decision = assess_conversation(turns)
    assert decision.escalates and not decision.withdrawn


def test_an_alarm_told_in_two_messages_is_taken_back_only_by_an_explanation():
    scores = {
        WORRIED: {"concern": 0.9},
        f"{WORRIED} {LIFT}": {"danger": 0.8, "now": 0.9},
    }
    for follow_up, taken_back in (("sorry to panic", True), ("anyway what time is it", False)):
        together = f"{WORRIED} {LIFT} {follow_up}"
        scores[LIFT] = {"danger": 0.8, "now": 0.9}
        scores[together] = {"danger": 0.1}
        turns = conversation(WORRIED, LIFT, follow_up, scores=scores)
        raised = assess_conversation(turns[:2])
        assert raised.escalates and raised.evidence_turns == (0, 1) and raised.raised_together
        assert assess_conversation(turns).withdrawn is taken_back, follow_up


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("he says hell kill me if i tell mum about the surprise party", "figurative"),
        ("ma fe'n gweud bydd e'n lladd fi os wi'n gweud am y parti syrpreis", "figurative"),
        ("i saw someone get stabbed on casualty", "fiction"),
        ("nes i weld rhywun yn cael ei drywanu ar Pobol y Cwm", "fiction"),
    ],
)
def test_a_surprise_or_a_programme_is_read(text, indicator):
    assert indicator in indicators_of(text) | indicators(text)


def test_casualty_the_hospital_is_not_a_programme():
    assert "fiction" not in indicators_of("shes in casualty after taking pills")


@pytest.mark.parametrize(
    "alarm, what_it_was, taken_back",
    [
        (
            "my brothers held me down and i couldnt breathe",
            "from laughing they were tickling me",
            "violence",
        ),
        ("nethon nhw ddala fi lawr ar y gwely", "fy chwiorydd, nethon nhw neud make-up fi", "held"),
        (
            "the boys next door are pointing guns over the fence",
            "they were only water guns lol",
            "weapon",
        ),
        ("ma gan fy mrawd i gyllell", "mae o'n 4 a cyllell fenyn di hi efo nutella", "weapon"),
        (
            "ma rhywun yn bygwth rhannu fideo ohona i",
            "mam, fideo o fi'n 8 yn steddfod",
            "image_abuse",
        ),
    ],
)
def test_what_it_really_was_told_next_covers_the_alarm_read_together(
    alarm, what_it_was, taken_back
):
    together = f"{alarm} {what_it_was}"
    assert taken_back in indicators_of(alarm) | indicators(alarm)
    assert (
        taken_back
        not in turn(together).signals.indicators | welsh_turn(together).signals.indicators
    )


@pytest.mark.parametrize(
    "text, still",
    [
        ("he held me down and my sister saw it all", "violence"),
        ("he held me down and his dog was barking", "violence"),
        ("he has a knife and he says the water guns are for the kids", "armed"),
        ("he has pictures of me from when i was 12 and says he will share them", "sextortion"),
    ],
)
def test_what_only_sits_beside_the_alarm_does_not_cover_it(text, still):
    assert still in indicators_of(text)


def test_a_school_photo_made_into_nudes_is_not_an_innocent_photo():
    # pictures made from a school photo are a harm of their own (an app, a deepfake)
    text = "he has pictures of me from my school photo and photoshopped them into nudes"
    assert "innocent_images" not in indicators_of(text)
    assert "innocent_images" not in indicators("ma fo di neud llunia noeth o fy llun ysgol i")


def test_going_to_die_over_essays_is_a_figure_of_speech_and_wanting_to_die_is_not():
    assert "figurative" in indicators("wi'n mynd i farw, 3 traethawd erbyn dydd llun")
    assert "figurative" in indicators_of("im going to die i have 3 essays due monday")
    assert decide("i want to die").route is Route.SELF_HARM


def test_a_broken_handle_is_a_mishap():
    assert "mishap" in indicators("ma'r handle wedi torri a dwi'n styc yn y toilet")


# From a further pair of tuning sets on this theme (English ``ff`` and Welsh ``q``, 2026-12-06):
# reveals that name a drill or practice or a birth on the farm.
@pytest.mark.parametrize(
    "text, indicator",
    [
        ("it was a lockdown drill and i didnt know", "false_alarm"),
        ("it was just rugby training lol", "false_alarm"),
        ("ymarfer sgrym dan 14 oedd o", "false_alarm"),
        ("pulled my first lamb out on my own", "mishap"),
        ("ma hi'n dymor wyna a dwi newydd dynnu oen", "mishap"),
    ],
)
def test_what_it_was_is_read_when_named(text, indicator):
    assert indicator in indicators_of(text) | indicators(text)


def test_someone_elses_dad_named_does_not_explain_what_he_did():
    assert decide("it was jakes dad who touched me").route is Route.DISCLOSURE


@pytest.mark.parametrize(
    "text",
    [
        "hes my coach and hes outside my house and wont leave",
        "he is the landlord and hes banging on the door",
    ],
)
def test_naming_someone_in_a_position_of_trust_does_not_remove_that_he_is_outside(text):
    # a role named as who it was (a known visitor) removes the someone-outside signs of the whole
    # message: "hes my coach" is how children name abusers, so roles are not known visitors
    assert "present_threat" in indicators_of(text)


def test_a_medical_procedure_named_does_not_silence_a_disclosure():
    # an explanation switches the content model off for its message: "stitches" must not
    text = "i got stitches after what he did to me"
    decision = assess_conversation(conversation(text, scores={text: {"disclosure": 0.97}}))
    assert decision.route is Route.DISCLOSURE


def _read(text: str, previous: str | None = None):
    """Read a message in a Welsh conversation as the Rasa server does (no content model)."""
    welsh_words = dictionary_headwords() | set(welsh(text).split())
    return read_message(
        text, normalise(text), PATTERNS, None, frozenset(), welsh_words, "cy", previous
    )


def _read_together(before: str, follow_up: str, knows_where_it_begins: bool = True):
    """Read two messages as the Rasa server joins them."""
    return _read(f"{before} {follow_up}", before if knows_where_it_begins else None)


@pytest.mark.parametrize(
    "alarm, reveal, explanation",
    [
        (
            "ma na rwbath di bod yn fy nilyn i adra o'r ysgol",
            "ci defaid ffarm drws nesa lol",
            "known_visitor",
        ),
        ("dwi'n styc mewn stafell a methu gadael", "detention efo Mrs Lloyd", "house_rule"),
    ],
)
def test_what_it_was_said_from_the_follow_ups_first_word_is_read_with_the_alarm(
    alarm, reveal, explanation
):
    # the follow-up alone says what it was; joined to the alarm it no longer begins the text
    assert explanation in indicators(reveal)
    assert explanation not in _read_together(alarm, reveal, False).indicators
    assert explanation in _read_together(alarm, reveal).indicators


def test_only_what_explains_is_read_again_from_the_follow_ups_start():
    # a question that opens the follow-up frames the follow-up, not the two read as one
    joined = _read_together("mae hi yn y cartref nawr.", "beth yw'r drefn gywir gyda'r heddlu?")
    assert "general_question" not in joined.indicators


@pytest.mark.parametrize(
    "alarm, who",
    [
        ("theres someone banging on our back door", "my dad 🙄"),
        ("ma na rywun yn cnocio ar y ffenest", "nain 😂 di cloi ei hun allan"),
        ("ma na rywun yn cnocio ar y ffenest", "cefnder fi lol"),
    ],
)
def test_who_was_there_said_first_and_laughed_off_takes_the_alarm_back(alarm, who):
    # the content model's alarm, which it still sounds read together: who it was explains it
    sure = {"danger": 0.9, "disclosure": 0.6, "now": 0.9}
    joined = replace(_read_together(alarm, who), scores=sure)
    turns = [Turn(replace(_read(alarm), scores=sure), "m1"), Turn(_read(who), "m2", joined=joined)]
    assert assess_conversation(turns[:1]).route is Route.DANGER
    assert assess_conversation(turns).withdrawn, who


@pytest.mark.parametrize(
    "text, read",
    [
        ("my dad 🙄 anyway theres a man outside my window watching me", indicators_of),
        ("taid 😂 ma na ddyn tu allan yn sbio arna i", lambda text: set(_read(text).indicators)),
    ],
)
def test_who_was_there_explains_only_what_was_told_before_it(text, read):
    # "my dad lol" answers what came before; someone told of after it is told anew
    assert "present_threat" in read(text)
