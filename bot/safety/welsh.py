"""Read Welsh words in their dictionary form: undo initial mutations.

Welsh changes the first sound of a word after certain words: "treisio" (rape) is "dreisio" after
"ei" (his), "nhreisio" after "fy" (my) and "threisio" after "ei" (her). A pattern or a classifier
that has seen one form must recognise all of them, so a Welsh message's words are read back to
their radical (unmutated) form before the safety net reads it.

The mutation tables are the standard ones (soft, nasal and aspirate mutation, and h- before a
vowel). A mutated form can undo in more than one way ("fam" could be "mam" or "bam"), and an
English loanword or an unmutated Welsh word must be left alone, so a word is changed only when it
is not itself a known Welsh word and exactly one of its possible radicals is. The known words are
the headwords of FreeDict's Welsh-English dictionary (Debian's ``dict-freedict-cym-eng``,
installed by the Makefile), together with the Welsh words of the assistant's own training data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bot.safety.markup import visible_text
from bot.safety.normalise import (
    CAPITAL_CONFUSABLES,
    CONFUSABLES,
    read_laughter,
    strip_invisible,
)

FREEDICT_INDEX = Path("/usr/share/dictd/freedict-cym-eng.index")

# Each mutated beginning and the radical beginnings it can come from, longest first.
UNDO_MUTATION: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ngh", ("c",)),  # nasal: c -> ngh
    ("mh", ("p",)),  # nasal: p -> mh
    ("nh", ("t",)),  # nasal: t -> nh
    ("ng", ("g",)),  # nasal: g -> ng
    ("ph", ("p",)),  # aspirate: p -> ph
    ("th", ("t",)),  # aspirate: t -> th
    ("ch", ("c",)),  # aspirate: c -> ch
    ("dd", ("d",)),  # soft: d -> dd
    ("b", ("p",)),  # soft: p -> b
    ("d", ("t",)),  # soft: t -> d
    ("g", ("c",)),  # soft: c -> g
    ("f", ("b", "m")),  # soft: b -> f, m -> f
    ("l", ("ll",)),  # soft: ll -> l
    ("r", ("rh",)),  # soft: rh -> r
    ("m", ("b",)),  # nasal: b -> m
    ("n", ("d",)),  # nasal: d -> n
    ("h", ("",)),  # h- before a vowel (ei hofn -> ofn)
)
VOWELS = frozenset("aeiouwyâêîôûŵŷ")
# Short words are mostly function words and verb forms ("mae", "fi", "hun"): a mutation undone
# there would more often be wrong ("mae" is not "bae") than right.
SHORTEST_MUTATED_WORD = 4
LEFT_AS_WRITTEN = frozenset(
    {
        "mewn",
        "gyda",
        "wedi",
        "fydd",
        "fyddai",
        "roedd",
        "oedd",
        "ddim",
        "dyma",
        "dyna",
        "dydy",
        "dydi",
        "fydda",
        "ydyn",
        "ydych",
        "hefyd",
        "hynny",
        "felly",
        "rhaid",
        "gallu",
        "gallwn",
    }
)
WORD = re.compile(r"[a-z0-9]+")
# "mam-gu", "tad cu", "fam-gu": the southern grandparents, written as one word as "mamgu" is
GRANDPARENTS = re.compile(r"\b(mam|fam|tad|dad|nhad|hen dad|hen fam)[- ](gu|cu)\b")
ACCENTS_FOLDED = str.maketrans("âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ", "aeiouwyaeiouwyaeiouwyaeiouwy")


@lru_cache(maxsize=1)
def dictionary_headwords() -> frozenset[str]:
    """Return the Welsh dictionary's headwords (empty if the dictionary is not installed)."""
    if not FREEDICT_INDEX.exists():
        return frozenset()
    words = set()
    for line in FREEDICT_INDEX.read_text(encoding="utf-8").splitlines():
        headword = line.split("\t", 1)[0].strip().lower()
        if headword and not headword.startswith("00database"):
            words.add(headword)
            words.add(fold_accents(headword))
    return frozenset(words)


def fold_accents(word: str) -> str:
    """Return ``word`` without circumflexes, acute or grave accents (as many people type)."""
    return word.translate(ACCENTS_FOLDED)


def radical_candidates(word: str) -> list[str]:
    """Return every form ``word`` could have had before an initial mutation."""
    candidates = []
    for mutated, radicals in UNDO_MUTATION:
        if word.startswith(mutated) and len(word) > len(mutated) + 1:
            rest = word[len(mutated) :]
            if mutated == "h" and rest[0] not in VOWELS:
                continue
            candidates += [radical + rest for radical in radicals]
    if word[:1] in VOWELS:
        candidates.append("g" + word)  # soft: g is dropped (gwaith -> waith)
    return candidates


def normalise_welsh(text: str) -> str:
    """Return a Welsh message as the safety net reads it (see below).

    Lower case, accents folded, one word per token ("dwi'n" -> "dwi n"), "mam-gu" and "tad cu"
    as one word, look-alike letters read, invisible characters and markup gone. English text-speak
    is not read: in Welsh "y" is "the".
    """
    text = visible_text(strip_invisible(unicodedata.normalize("NFKC", text)))
    text = read_laughter(text).translate(CAPITAL_CONFUSABLES).lower().translate(CONFUSABLES)
    text = GRANDPARENTS.sub(r"\1\2", fold_accents(text).replace("£", " pounds "))
    return " ".join(WORD.findall(text))


def radical_form(word: str, known: frozenset[str]) -> str:
    """Return the radical form of ``word`` when exactly one is a known word; else ``word``."""
    if (
        word in known
        or not word.isalpha()
        or len(word) < SHORTEST_MUTATED_WORD
        or word in LEFT_AS_WRITTEN
    ):
        return word
    found = {c for c in radical_candidates(word) if c in known}
    return found.pop() if len(found) == 1 else word


def read_as_radicals(normalised: str, known: frozenset[str]) -> str:
    """Return a normalised Welsh message with each word in its radical form."""
    return " ".join(radical_form(word, known) for word in normalised.split())


def known_welsh_words(texts: Iterable[str]) -> frozenset[str]:
    """Return the dictionary's headwords and the words of ``texts`` (Welsh training messages)."""
    words = set(dictionary_headwords())
    for text in texts:
        words.update(w for w in text.split() if w.isalpha())
    return frozenset(words)
