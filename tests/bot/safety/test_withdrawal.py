"""A follow-up that takes back the message before it (the reviewed patterns, no classifier)."""

from dataclasses import replace

from bot.safety.responses import WITHDRAW, DoneSoFar, response_plan
from bot.safety.routes import Route
from bot.safety.withdrawal import TAKEN_BACK_WITHIN, WITHDRAWABLE, assess_conversation
from tests.bot.safety.test_assessment import turn


def conversation(*texts, scores=None, read=turn):
    """Return the turns as the Rasa server reads them: a follow-up within two messages of the
    one or two messages in a row that raised an escalation also carries them read as one.
    ``scores``: the content model's, by text; ``read``: how a message is read (English)."""
    scores = scores or {}
    turns = []
    for text in texts:
        current = read(text, scores.get(text))
        before = assess_conversation(turns) if turns else None
        if (
            before is not None
            and before.route in WITHDRAWABLE
            and before.raised_together
            and len(turns) - TAKEN_BACK_WITHIN <= before.evidence_turns[-1]
        ):
            together = " ".join([*(texts[i] for i in before.evidence_turns), text])
            current = replace(current, joined=read(together, scores.get(together)).signals)
        turns.append(current)
    return turns


OPENER = "i got paid to deliver stuff"
INNOCENT = "leaflets for the pizza place lol"
# what the content model said of these (measured on the trained model)
SCORES = {OPENER: {"disclosure": 0.97}, f"{OPENER} {INNOCENT}": {"disclosure": 0.05}}


def test_an_innocent_explanation_takes_back_the_alarm_and_it_stays_taken_back():
    turns = conversation(OPENER, INNOCENT, scores=SCORES)
    assert assess_conversation(turns[:1]).route is Route.DISCLOSURE
    withdrawn = assess_conversation(turns)
    assert withdrawn.withdrawn and not withdrawn.escalates
    assert response_plan(withdrawn, DoneSoFar(escalated=2), 1) == [WITHDRAW]
    later = assess_conversation([*turns, turn("my mum says i need a work permit is that true")])
    assert not later.escalates and not later.withdrawn


def test_a_follow_up_that_does_not_explain_the_alarm_away_keeps_it():
    turns = conversation(OPENER, "they said i owe them now", scores=SCORES)
    decision = assess_conversation(turns)
    assert decision.escalates and not decision.withdrawn


def test_taking_back_a_disclosure_without_explaining_it_away_is_not_accepted():
    for follow_up in ("lol jk", "forget it i was joking", "nvm its fine"):
        turns = conversation("my uncle touches me when mum is at work", follow_up)
        decision = assess_conversation(turns)
        assert decision.escalates and not decision.withdrawn, follow_up


def test_self_harm_is_not_taken_back_by_a_follow_up_that_still_says_it():
    for follow_up in ("not doing anything dont worry", "lol jk", "nvm"):
        turns = conversation("i want to kill myself", follow_up)
        decision = assess_conversation(turns)
        assert decision.route is Route.SELF_HARM and not decision.withdrawn, follow_up


def test_self_harm_words_a_follow_up_shows_were_a_figure_of_speech_are_taken_back():
    turns = conversation("i want to die", "of embarrassment")
    assert assess_conversation(turns[:1]).route is Route.SELF_HARM
    decision = assess_conversation(turns)
    assert decision.withdrawn and not decision.escalates


SPREAD = "my ex posted them on a group chat, the ones i sent him"
PEERS = "we were both 15 when i sent them hes 16 now"


def test_being_the_same_age_does_not_take_back_a_childs_images_spread():
    # what the content model said of these (measured on the trained model)
    scores = {SPREAD: {"disclosure": 0.94}, f"{SPREAD} {PEERS}": {"disclosure": 0.95}}
    decision = assess_conversation(conversation(SPREAD, PEERS, scores=scores))
    assert decision.escalates and not decision.withdrawn
    # a meme sent to the class chat is not images spread by a boyfriend
    meme = "i sent it to the group chat lol we are both 15"
    assert not assess_conversation(conversation(meme, scores={meme: {}})).escalates


OUTSIDE = "theres a man outside my house"
WATCHING = "hes looking at our windows"
STANDING = "hes just standing there"
# what the content model said of these (measured on the trained model)
OUTSIDE_SCORES = {
    OUTSIDE: {"danger": 0.99, "now": 0.99},
    f"{OUTSIDE} {WATCHING}": {"danger": 0.99, "now": 0.99},
    f"{OUTSIDE} {STANDING}": {"danger": 0.99, "now": 0.99},
}


def test_an_explanation_two_messages_later_still_takes_back_the_alarm():
    turns = conversation(
        OUTSIDE,
        WATCHING,
        "oh wait nvm its the amazon guy",
        scores=OUTSIDE_SCORES,
    )
    assert assess_conversation(turns[:2]).route is Route.DANGER
    decision = assess_conversation(turns)
    assert decision.withdrawn and not decision.escalates


def test_an_explanation_three_messages_later_is_too_late_to_take_it_back():
    turns = conversation(
        OUTSIDE,
        WATCHING,
        STANDING,
        "oh wait nvm its the amazon guy",
        scores=OUTSIDE_SCORES,
    )
    assert assess_conversation(turns[:3]).escalates
    assert not assess_conversation(turns).withdrawn


def test_evidence_told_over_several_messages_is_not_taken_back_by_the_next():
    turns = conversation(
        "im 13", "a man i met online is 30", "he asked me for nudes and said keep it secret", "lol"
    )
    assert assess_conversation(turns).escalates
    assert not assess_conversation(turns).withdrawn


def test_never_mind_without_an_explanation_keeps_a_danger_escalation():
    for unexplained in ("omg nvm", "nvm its fine", "omg its my dad"):
        turns = conversation("a man is following me home", unexplained)
        decision = assess_conversation(turns)  # being followed is still said, read together
        assert decision.route is Route.DANGER and not decision.withdrawn, unexplained


def test_never_mind_that_names_who_it_was_takes_a_danger_escalation_back():
    turns = conversation("someone is following me", "omg nvm its my sister trying to scare me")
    assert assess_conversation(turns).withdrawn


def test_a_follow_up_that_tells_more_does_not_take_back_being_lost():
    lost, more = "i dont know where i am", "a guy i met online picked me up and drove for ages"
    # what the content model said of these (measured on the trained model)
    scores = {
        lost: {"check": 0.23, "danger": 0.74, "now": 0.69},
        more: {"check": 0.26, "disclosure": 0.46},
        f"{lost} {more}": {"check": 0.58, "disclosure": 0.22},
    }
    turns = conversation(lost, more, scores=scores)
    assert assess_conversation(turns[:1]).route is Route.DANGER
    after = assess_conversation(turns)
    assert after.route is Route.DANGER and not after.withdrawn


def test_a_broken_lock_takes_back_being_locked_in():
    turns = conversation("help im locked in", "the toilet lock at school is broke again")
    assert assess_conversation(turns[:1]).route is Route.DANGER
    assert assess_conversation(turns).withdrawn


def test_after_an_alarm_is_explained_away_only_the_patterns_show_harm_for_two_messages():
    outside, visitor = "theres a man outside my house", "oh wait its the window cleaner lol"
    paid = "hes been coming for years my mum pays him every month"
    # what the content model said of these (measured on the trained model)
    scores = {outside: {"danger": 0.99, "now": 0.99}, paid: {"disclosure": 0.65}}
    turns = conversation(outside, visitor, paid, scores=scores)
    assert assess_conversation(turns[:2]).withdrawn
    assert not assess_conversation(turns).escalates
    # the patterns still count: a harm told after the explanation is heard
    told = conversation(outside, visitor, "he touched me last time he came", scores=scores)
    assert assess_conversation(told).route is Route.DISCLOSURE
    # and the content model counts again once the conversation has moved on
    later = [*turns, turn("ok"), turn("anyway"), turn(paid, scores[paid])]
    assert assess_conversation(later).escalates


def test_a_follow_up_that_only_dilutes_the_content_model_does_not_silence_it_after():
    girl, age = "theres a little girl in the park by my house", "shes like 8"
    car = "he keeps waving her over to his van"
    # what the content model said of these (measured on the trained model)
    scores = {girl: {"danger": 0.66, "now": 0.69}, car: {"danger": 0.9}}
    turns = conversation(girl, age, car, scores=scores)
    assert assess_conversation(turns).escalates


def test_a_joke_about_being_kidnapped_is_taken_back_by_the_family_outing_it_was():
    turns = conversation("been kidnapped", "jk my nan took me to bingo")
    assert assess_conversation(turns[:1]).route is Route.DANGER
    withdrawn = assess_conversation(turns)
    assert withdrawn.withdrawn and not withdrawn.escalates
    kept = assess_conversation(conversation("been kidnapped", "by my dad, mum doesnt know where"))
    assert kept.escalates


def test_after_a_film_is_told_only_the_patterns_show_harm_for_two_messages():
    film = "watched the conjuring at my mates and now i cant sleep"
    noise = "every noise i hear i think someones in the house"
    # what the content model said of the second (measured on the trained model)
    scores = {noise: {"danger": 0.8, "now": 0.8}}
    assert assess_conversation(conversation(noise, scores=scores)).route is Route.DANGER
    assert not assess_conversation(conversation(film, noise, scores=scores)).escalates
    # a harm the patterns show after the film still counts
    told = conversation(film, "then he started touching me and wont let me leave")
    assert assess_conversation(told).route is Route.DANGER
    # the writer's own story is not a film: "we watched a film at his flat" is where it happened
    at_his = conversation("we watched a film at his flat and he touched me", noise, scores=scores)
    assert assess_conversation(at_his).route is Route.DANGER


def test_a_warning_sign_told_after_an_alarm_adds_to_it_and_does_not_take_it_back():
    outside, snap = "theres a man outside my house", "ive been talking to him on snap for weeks"
    # what the content model said (measured on the trained model): read as one, the alarm is
    # diluted by the longer text
    scores = {outside: {"danger": 0.99, "now": 0.99}, f"{outside} {snap}": {"danger": 0.2}}
    decision = assess_conversation(conversation(outside, snap, scores=scores))
    assert decision.route is Route.DANGER and not decision.withdrawn
    # the same dilution with nothing added does take it back
    homework = "anyway can u help with my history homework"
    scores[f"{outside} {homework}"] = {"danger": 0.2}
    assert assess_conversation(conversation(outside, homework, scores=scores)).withdrawn


GIVES_MONEY = "a man keeps giving me money"
WANTS_A_LIFT = "now he wants me to get in his car"


def test_an_alarm_told_in_two_messages_is_taken_back_only_by_what_explains_it():
    raised = assess_conversation(conversation(GIVES_MONEY, WANTS_A_LIFT))
    assert raised.escalates and raised.evidence_turns == (0, 1) and raised.raised_together
    # a grandad's pocket money and lift explain it; "lol" or "hes nice tho" explain nothing
    assert assess_conversation(
        conversation(GIVES_MONEY, WANTS_A_LIFT, "its my grandad lol")
    ).withdrawn
    for unexplained in ("lol", "hes nice tho"):
        decision = assess_conversation(conversation(GIVES_MONEY, WANTS_A_LIFT, unexplained))
        assert decision.escalates and not decision.withdrawn, unexplained


def test_an_alarm_raised_by_one_message_may_be_taken_back():
    raised = assess_conversation(conversation("someone is following me"))
    assert raised.escalates and raised.raised_together


BANK_DETAILS = "someone asked for my bank details and said theyd tell the police about me"
TAX_TEXT = "it was a text from hmrc saying i owe tax"
SCORED = {BANK_DETAILS: {"disclosure": 0.7}, TAX_TEXT: {"disclosure": 0.7}}


def test_the_content_models_alarm_raised_twice_in_a_row_is_taken_back_as_one():
    """Both messages raised it: an explanation takes back both, not only the latest."""
    raised = assess_conversation(conversation(BANK_DETAILS, TAX_TEXT, scores=SCORED))
    assert raised.escalates and raised.evidence_turns == (0, 1) and raised.raised_together
    taken_back = conversation(BANK_DETAILS, TAX_TEXT, "false alarm, its a scam", scores=SCORED)
    assert assess_conversation(taken_back).withdrawn


def test_a_figure_of_speech_does_not_take_back_an_alarm_told_in_two_messages():
    """A joke about mum after a child kept somewhere for days explains nothing."""
    kept = "ive been here since friday and its bad"
    watched = "two of them are asleep next door"
    scores = {kept: {"danger": 0.9, "now": 0.9}, watched: {"danger": 0.9, "now": 0.9}}
    follow_up = "lol my mum is literally going to kill me"
    assert "figurative" in conversation(follow_up)[0].signals.indicators
    raised = assess_conversation(conversation(kept, watched, scores=scores))
    assert raised.route is Route.DANGER and raised.evidence_turns == (0, 1)
    decision = assess_conversation(conversation(kept, watched, follow_up, scores=scores))
    assert decision.route is Route.DANGER and not decision.withdrawn
