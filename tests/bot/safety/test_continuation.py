"""A sentence sent in pieces: when a message carries on the one before, and what the joined
reading adds (the reviewed patterns, no classifier)."""

from dataclasses import replace

from bot.safety.continuation import continues
from bot.safety.evidence import gather
from bot.safety.normalise import normalise
from bot.safety.routes import Route
from bot.safety.withdrawal import assess_conversation
from tests.bot.safety.test_assessment import turn

MONEY = "theres a man who gives me money"


def carries_on(before: str, message: str) -> bool:
    return continues(normalise(before), normalise(message))


def test_a_message_starting_with_a_joining_word_or_after_a_broken_off_one_carries_on():
    assert carries_on(MONEY, "for pics")
    assert carries_on("he said", "if i tell anyone hell post them")
    assert carries_on("im going out", "n my bf is coming")
    assert carries_on("ma dyn yn rhoi pres i fi", "achos dwi'n gyrru lluniau")


def test_a_new_sentence_does_not_carry_on_the_one_before():
    assert not carries_on(MONEY, "im 14")
    assert not carries_on("hi", "what is grooming")
    assert not carries_on("", "for pics")
    assert not carries_on("hello", "")


def pieces(*texts, scores=None):
    """Return the turns as the Rasa server reads them, each carrying on message joined."""
    scores = scores or {}
    turns = []
    for before, text in zip(("", *texts[:-1]), texts, strict=True):
        current = turn(text, scores.get(text))
        if carries_on(before, text):
            together = f"{before} {text}"
            current = replace(current, continued=turn(together, scores.get(together)).signals)
        turns.append(current)
    return turns


def test_what_only_the_joined_pieces_show_counts_at_the_later_turn():
    turns = pieces(MONEY, "for pics")
    without_joining = [replace(t, continued=None) for t in turns]
    assert assess_conversation(without_joining).route is not Route.DISCLOSURE
    decision = assess_conversation(turns)
    assert decision.route is Route.DISCLOSURE
    assert gather(turns, None).harm["sexual_exploitation"] == 1


def test_a_sign_already_shown_keeps_the_turn_it_was_first_shown_in():
    turns = pieces("he keeps asking for pics", "and he says its our secret")
    evidence = gather(turns, None)
    assert evidence.risk["image_request"] == 0
    assert evidence.risk["secrecy"] == 1


def test_the_content_models_reading_of_joined_pieces_is_not_counted():
    # "with my bf and his mates", read as one, looks like a disclosure to the content model
    joined = "with my bf and his mates"
    turns = pieces(
        "im going to the cinema",
        "with my bf",
        "and his mates",
        scores={joined: {"disclosure": 0.69}},
    )
    assert not assess_conversation(turns).escalates


def test_who_in_one_piece_and_what_he_is_doing_in_the_next_carry_on():
    assert carries_on("theres", "a man")
    assert carries_on("a man", "following me")
    assert not carries_on("a man", "im 14")
    decision = assess_conversation(pieces("help", "theres", "a man", "following me"))
    assert decision.route is Route.DANGER
