"""Normalise a message before matching; the raw text is kept separately for the record.

Steps: Unicode NFKC; remove zero-width, control and NUL characters; fold look-alike letters
(Cyrillic and Greek that look Latin, and leetspeak digits inside words); lower-case; squeeze
letters repeated three or more times; read common UK text-speak.
"""

from __future__ import annotations

import re
import unicodedata

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
LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457@$])[a-z013457@$]+\b")
REPEATS = re.compile(r"([a-z])\1{2,}")
TEXT_SPEAK = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "m8": "mate",
    "m8s": "mates",
    "2nite": "tonight",
    "2night": "tonight",
    "2day": "today",
    "wiv": "with",
    "wid": "with",
    "n": "and",
    "pics": "pictures",
    "pic": "picture",
    "pix": "pictures",
    "nudez": "nudes",
    "noodz": "nudes",
    "nudes": "nudes",
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "dnt": "do not",
    "cant": "cannot",
    "wont": "will not",
    "pls": "please",
    "plz": "please",
    "rn": "right now",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "wen": "when",
    "wat": "what",
    "wot": "what",
    "sum1": "someone",
    "some1": "someone",
    "any1": "anyone",
    "ppl": "people",
    "yo": "years old",
    "yrs": "years",
    "b4": "before",
    "4": "for",
    "2": "to",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "ok": "ok",
    "k": "ok",
    "ya": "you",
    "y": "why",
    "tbh": "to be honest",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "didnt": "did not",
    "doesnt": "does not",
    "isnt": "is not",
    "wasnt": "was not",
    "idk": "i do not know",
}
WORD = re.compile(r"[a-z0-9]+")


def _strip_invisible(text: str) -> str:
    text = INVISIBLE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def normalise(text: str) -> str:
    """Return the form of ``text`` that safety patterns are matched against."""
    text = unicodedata.normalize("NFKC", text)
    text = _strip_invisible(text)
    text = text.translate(CAPITAL_CONFUSABLES).lower().translate(CONFUSABLES)
    text = LEET_WORD.sub(lambda m: m.group(0).translate(LEET), text)
    text = text.replace("’", "'").replace("‘", "'").replace("'", "")
    text = REPEATS.sub(r"\1", text)
    words = WORD.findall(text)
    return " ".join(TEXT_SPEAK.get(word, word) for word in words)
