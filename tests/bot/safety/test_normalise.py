import pytest

from bot.safety.normalise import normalise
from bot.safety.welsh import normalise_welsh


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "im being f\u200borced to have s3x n im only 12",
            "i am being forced to have sex and i am only 12",
        ),
        ("HELPPPP ME pls", "help me please"),
        ("my bf is 22 n wants nudez 2nite", "my boyfriend is 22 and wants nudes tonight"),
        ("yp (15) has rung", "young person 15 has rung"),
        ("Іm scаred", "i am scared"),  # Cyrillic look-alikes
        ("Ηe is οutside", "he is outside"),  # Greek look-alikes
        ("\x00\x01hi\x7f", "hi"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),  # NFKC
        ("r4pe", "rape"),
        ("I’m 13", "i am 13"),
        ("🙂🙂", ""),
        ("", ""),
        # contractions are read before apostrophes go, so "he'll" is never "hell"
        ("he'll kill me", "he will kill me"),
        ("they're outside, I can't get out", "they are outside i cannot get out"),
        # ... and without the apostrophe, before a verb only
        ("says hell leak my pics", "says he will leak my pictures"),
        ("what the hell", "what the hell"),
        # ages and times written as one word are numbers with a unit, not leetspeak
        ("hes 19 n im 13yo", "he is 19 and i am 13 years old"),
        ("she is 14 y/o", "she is 14 years old"),
        ("b4 10pm", "before 10 pm"),
        ("sent £200", "sent pounds 200"),
        # text-speak with the g dropped, and words spelt out letter by letter
        ("m8 of mine is doin stuff 4 a guy", "mate of mine is doing stuff for a guy"),
        ("H E L P", "help"),
        # "2" and "4" are words only between words
        ("sent nudez 2 sum1", "sent nudes to someone"),
        ("its 2:50 now", "it is 2 50 now"),
        ("2 men", "2 men"),
        # "hes started" was "he has started": "has" before a past participle
        ("hes started messaging me", "he has started messaging me"),
        ("shes been crying", "she has been crying"),
        ("hes outside", "he is outside"),
        # "ur" and "your" before a verb or an adjective are "you are"
        ("ur gonna get caught", "you are going to get caught"),
        ("your not safe", "you are not safe"),
        ("ur mum", "your mum"),
        # "aint" after a person is "am not" / "are not"
        ("said i aint leaving", "said i am not leaving"),
        ("they aint coming", "they are not coming"),
        ("it aint fair", "it is not fair"),
        # markup is read as what a person would see: not its tags, attributes or scripts
        (
            '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> i am scared',
            "i am scared",
        ),
        ("i <3 him", "i 3 him"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_ages_and_numbers_are_not_leetspeak():
    assert normalise("he is 24 and i am 15") == "he is 24 and i am 15"


def test_someones_without_its_apostrophe_is_someone_is_or_has_but_never_a_possessive():
    assert normalise("someones at the door") == "someone is at the door"
    assert normalise("somebodys been sending pics") == "somebody has been sending pictures"
    assert normalise("im in someones garden") == "i am in someones garden"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("my dad 🙄", "my dad lol"),
        ("taid😂😂 newydd ddysgu", "taid lol newydd ddysgu"),
        ("nvm sorry 😅🤣", "nvm sorry lol"),
        ("😂😂", ""),  # laughter alone: still a message with nothing to understand
    ],
)
def test_laughing_emoji_read_as_the_word_typed_for_them(raw, expected):
    assert normalise(raw) == expected
    assert normalise_welsh(raw) == expected
