from bot.safety.language import (
    ENGLISH,
    OTHER,
    UNSURE,
    WELSH,
    english_vocabulary,
    message_language,
)
from bot.safety.normalise import normalise

VOCABULARY = frozenset(
    english_vocabulary(
        [
            "hiya mate what you up to",
            "sut mae, dw i eisiau siarad yn gymraeg",
            "i am really scared of my exams",
        ]
    )
)


def language(text):
    return message_language(text, normalise(text), VOCABULARY)


def test_english_as_young_people_write_it_is_english():
    assert language("hiya m8 wat u up 2") in (ENGLISH, UNSURE)  # never Welsh or another
    assert language("im scared") == UNSURE  # too short to judge: keeps the conversation's


def test_welsh_and_other_languages_are_recognised():
    assert language("sut mae, dw i eisiau siarad yn gymraeg") == WELSH
    assert language("cześć, jak się masz dzisiaj") == OTHER
    assert language("Привет, как дела?") == OTHER  # another script, whatever the words


def test_training_messages_in_other_languages_do_not_teach_their_words_as_english():
    assert "siarad" not in VOCABULARY and "mate" in VOCABULARY


def test_gibberish_is_not_a_language():
    # identified as Japanese, which is not written in Latin letters: no answer either way
    assert language("asdkjh qwe zzz") in (ENGLISH, UNSURE)


def test_numbers_are_neither_language_so_a_short_welsh_sentence_with_ages_is_welsh():
    welsh_words = frozenset({"dwi", "n", "a", "mae", "o", "fi"})
    vocabulary = VOCABULARY | {"13", "25", "dwi", "mae", "a", "o"}
    text = "dwi'n 13 a mae o'n 25"
    assert message_language(text, normalise(text), vocabulary, welsh_words) == WELSH


def test_welsh_words_of_short_unsure_training_messages_are_not_english():
    welsh_words = frozenset({"mae", "o", "n", "dwi", "i"})
    vocabulary = english_vocabulary(["mae o'n iawn", "hiya mate what you up to"], welsh_words)
    assert "mae" not in vocabulary
    assert "mate" in vocabulary
    text = "mae o'n 19"
    assert message_language(text, normalise(text), frozenset(vocabulary), welsh_words) != ENGLISH


def test_english_text_speak_is_english_even_when_welsh_messages_borrow_it():
    # code-switched Welsh training messages hold "im", "pls" and "hes": they are not Welsh words
    welsh_words = frozenset({"n", "im", "pls", "hes", "dwi", "mae", "o", "r", "u"})
    for text in ("hes 24 n im 14", "im 15 pls", "r u a real person"):
        assert message_language(text, normalise(text), VOCABULARY, welsh_words) != WELSH, text
    text = "dwi'n 14 a mae o'n 24"
    assert message_language(text, normalise(text), VOCABULARY, welsh_words) == WELSH


def test_n_between_english_words_is_english_text_speak_not_welsh():
    welsh_words = frozenset(
        {"n", "r", "he", "gives", "lifts", "buys", "me", "vapes", "that", "dwi"}
    )
    vocabulary = VOCABULARY | {"he", "gives", "lifts", "buys", "me", "vapes", "that", "and"}
    text = "he gives me lifts n buys me vapes n that"
    assert message_language(text, normalise(text), vocabulary, welsh_words) != WELSH
    text = "dwi'n mynd i'r dre"
    assert (
        message_language(text, normalise(text), vocabulary, welsh_words | {"mynd", "i", "dre"})
        == WELSH
    )


def test_english_contractions_and_names_are_not_welsh_when_welsh_messages_borrow_them():
    # code-switched Welsh training messages hold "hasn", "isn", "ll", English words and names:
    # a parent's English message had become Welsh, and the conversation with it (2026-12-06)
    english = "my year old has not come home and is answering she scared doesnt want to go"
    borrowed = frozenset({*english.split(), "hasn", "isn", "doesn", "ll", "t", "liam", "outside"})
    welsh_words = borrowed | {"dwi", "mae", "mynd", "i", "r", "dre", "o", "n"}
    vocabulary = VOCABULARY | set(english.split()) | {"says", "he", "be", "angry", "outside"}
    for text in (
        "My 14 year old hasn't come home and isn't answering",
        "She's scared and doesn't want to go but says he'll be angry",
        "liam is outside",
    ):
        assert message_language(text, normalise(text), vocabulary, welsh_words) != WELSH, text
    text = "dwi'n mynd i'r dre"
    assert message_language(text, normalise(text), vocabulary, welsh_words) == WELSH
