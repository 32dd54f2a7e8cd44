"""Normalise a message before matching; the raw text is kept separately for the record.

Steps: Unicode NFKC; remove zero-width, control and NUL characters; read markup as the text a
person would see (``bot.safety.markup``); fold look-alike letters
(Cyrillic and Greek that look Latin, and leetspeak digits inside words); lower-case; squeeze
letters repeated three or more times; expand contractions ("he'll" -> "he will"); read common UK
text-speak; split ages written as one word ("13yo" -> "13 years old"); "£" reads as "pounds".
"""

from __future__ import annotations

import re
import unicodedata

from bot.safety.markup import visible_text
from bot.safety.text_speak import DROPPED_G, TEXT_SPEAK

# Laughing it off or rolling the eyes, typed as an emoji ("my dad 🙄", "taid 😂😂"), reads as the
# word people type for it: the reviewed patterns read "its my brother lol" as who it was.
LAUGHTER = re.compile("[\U0001f602\U0001f923\U0001f605\U0001f606\U0001f639\U0001f644]+")
LAUGHTER_WORD = " lol "
WORD_CHARACTER = re.compile(r"\w")
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\u034f\u180e]")
CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "ո": "n",
        "ν": "v",
        "α": "a",
        "ο": "o",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "τ": "t",
        "υ": "u",
        "ρ": "p",
        "χ": "x",
        "ѵ": "v",
        "ԝ": "w",
        "ӏ": "l",
        "ǀ": "l",
    }
)
CAPITAL_CONFUSABLES = str.maketrans(
    {
        "А": "a",
        "В": "b",
        "Е": "e",
        "К": "k",
        "М": "m",
        "Н": "h",
        "О": "o",
        "Р": "p",
        "С": "c",
        "Т": "t",
        "Х": "x",
        "У": "y",
        "І": "i",
        "Ј": "j",
        "Ѕ": "s",
        "Α": "a",
        "Β": "b",
        "Ε": "e",
        "Ζ": "z",
        "Η": "h",
        "Ι": "i",
        "Κ": "k",
        "Μ": "m",
        "Ν": "n",
        "Ο": "o",
        "Ρ": "p",
        "Τ": "t",
        "Υ": "y",
        "Χ": "x",
    }
)
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# A word in leetspeak starts with a letter and has a digit or symbol for a letter ("s3x", "r4pe");
# a word that starts with digits is a number with a unit ("13yo", "10pm") and is split instead.
LEET_WORD = re.compile(r"^[a-z@$][a-z013457@$]*$")
LEET_CHARACTER = re.compile(r"[013457@$]")
AGE_IN_SHORT = re.compile(r"\b(\d{1,2}) ?(?:y ?/ ?o|y\.o\.?)(?!\w)")
REPEATS = re.compile(r"([a-z])\1{2,}")
# Contractions, read before apostrophes are dropped (so "he'll" is not read as "hell").
CONTRACTIONS = (
    (re.compile(r"\b(can)'?t\b"), "cannot"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\b(\w+)'ll\b"), r"\1 will"),
    (re.compile(r"\b(\w+)'re\b"), r"\1 are"),
    (re.compile(r"\b(\w+)'ve\b"), r"\1 have"),
    (re.compile(r"\b(i)'m\b"), r"\1 am"),
    (re.compile(r"\b(i|he|she|they|we|you)'d\b"), r"\1 would"),
)
# "hell post them" is "he'll post them" (the apostrophe dropped): read before a verb only.
DROPPED_APOSTROPHE_WILL = re.compile(
    r"\b(he|she|it)ll (leak|post|send|share|kill|hurt|tell|come|find|get|be|do|show|put|make|"
    r"take|beat|stab|expose|spread|upload|ruin|give|pick|meet|see|never|not|just|probably|"
    r"literally|go|know|wait|follow|break|smash|burn|shoot|say|keep|sell|leave|hit|rape)\b"
)
# "hes been", "shes got": the dropped apostrophe was "has" before a past participle.
HAS_BEFORE_PARTICIPLE = re.compile(
    r"\b(he|she|it|there|someone|somebody) is (been|got|started|sent|asked|told|said|made|given|"
    r"taken|kept|stopped|tried|shown|posted|shared|threatened|offered|bought|paid|messaged|added)\b"
)
# "someones at the door", "somebodys been sending": the dropped apostrophe was "is" or "has", not a
# possessive ("someones garden"), before a place, a verb or "been".
SOMEONE_IS = re.compile(
    r"\b(someone|somebody)s (at|outside|in|inside|here|there|downstairs|upstairs|behind|on|"
    r"following|coming|watching|trying|knocking|banging|waiting|standing|sat|sitting|parked|"
    r"been|got|sent|asked|told|said|taken|posted|shared|threatened|messaged)\b"
)
# "ur gonna", "your being silly": "ur" and "your" before a verb or an adjective are "you are".
YOU_ARE = re.compile(
    r"\byour (going|getting|being|not|so|joking|lying|allowed|safe|literally|really|just|"
    r"always|never|too|only|actually|still|already|probably|definitely|meant|supposed)\b"
)
# "aint" reads as "is not"; after "i" it is "am not", after "you", "we" and "they" "are not".
AINT_AFTER_PERSON = re.compile(r"\b(?:(i)|(you|we|they)) is not\b")
NUMBER_THEN_LETTERS = re.compile(r"^(\d+)([a-z]+)$")
# Words spelt out letter by letter ("H E L P") are joined back together.
SPACED_LETTERS = re.compile(r"\b(?:[a-z] ){3,}[a-z]\b")
TOKEN = re.compile(r"[a-z0-9@$]+")


def read_laughter(text: str) -> str:
    """Return ``text`` with laughing emoji as "lol", unless they are all it says."""
    return LAUGHTER.sub(LAUGHTER_WORD, text) if WORD_CHARACTER.search(text) else text


def strip_invisible(text: str) -> str:
    """Return ``text`` without invisible and control characters (tabs and new lines kept)."""
    text = INVISIBLE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


# "2" and "4" are words ("sent nudes 2 someone") only between words, never beside a number
# ("2 50 pm", "2 men"): read them after the rest, with their neighbours.
NUMBER_WORDS = {"2": "to", "4": "for"}
NOT_AFTER_NUMBER_WORD = frozenset(
    [
        "men",
        "guys",
        "lads",
        "girls",
        "boys",
        "people",
        "of",
        "hours",
        "minutes",
        "mins",
        "days",
        "weeks",
        "months",
        "years",
        "pm",
        "am",
        "times",
        "pounds",
        "quid",
        "hrs",
    ]
)


def _read_number_words(words: list[str]) -> list[str]:
    read = list(words)
    for i, word in enumerate(words):
        if word not in NUMBER_WORDS:
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if before.isalpha() and after.isalpha() and after not in NOT_AFTER_NUMBER_WORD:
            read[i] = NUMBER_WORDS[word]
    return read


def _read_word(word: str) -> str:
    """Return a token as plain words: text-speak read, leetspeak folded, "13yo" split."""
    if word in TEXT_SPEAK:
        return TEXT_SPEAK[word]
    if word in DROPPED_G:
        return word + "g"
    split = NUMBER_THEN_LETTERS.match(word)
    if split:
        number, letters = split.groups()
        return f"{number} {TEXT_SPEAK.get(letters, letters)}"
    if LEET_CHARACTER.search(word) and LEET_WORD.match(word):
        word = word.translate(LEET)
        return TEXT_SPEAK.get(word, word)
    return word.replace("@", "").replace("$", "")


def normalise(text: str) -> str:
    """Return the form of ``text`` that safety patterns are matched against."""
    text = visible_text(strip_invisible(unicodedata.normalize("NFKC", text)))
    text = read_laughter(text).translate(CAPITAL_CONFUSABLES).lower().translate(CONFUSABLES)
    text = text.replace("’", "'").replace("‘", "'").replace("£", " pounds ")
    text = AGE_IN_SHORT.sub(r"\1 years old", text)
    for contraction, expansion in CONTRACTIONS:
        text = contraction.sub(expansion, text)
    text = REPEATS.sub(r"\1", text.replace("'", ""))
    text = DROPPED_APOSTROPHE_WILL.sub(r"\1 will \2", text)
    text = SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)
    words = [_read_word(token) for token in TOKEN.findall(text)]
    text = " ".join(word for word in _read_number_words(words) if word)
    text = YOU_ARE.sub(r"you are \1", text)
    text = AINT_AFTER_PERSON.sub(
        lambda m: "i am not" if m.group(1) else f"{m.group(2)} are not", text
    )
    text = SOMEONE_IS.sub(r"\1 is \2", text)
    return HAS_BEFORE_PARTICIPLE.sub(r"\1 has \2", text)
