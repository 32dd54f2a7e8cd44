"""Whether a message carries on the sentence of the message before it.

People on phones send one sentence in pieces: "theres a man who gives me money" / "for pics", or
"he said" / "if i tell anyone hell post them". Each piece alone may say little; the safety net
also reads such a message joined to the one before (``safety.continued``), and what only the
joined reading shows counts as evidence at the later turn (``bot/safety/evidence.py``). A
message carries on the one before when it starts with a joining word or the one before broke off
on a word that needs more after it. Both texts are normalised (``bot/safety/normalise.py``).
"""

from __future__ import annotations

# Words that start the rest of a sentence (English and Welsh, as normalised).
JOINING_FIRST_WORDS = frozenset(
    {
        # English
        *("and", "an", "nd", "with", "for", "to", "because", "but", "so", "or", "if", "then"),
        *("til", "till", "until", "unless", "after", "when", "while", "about", "at", "in"),
        *("from", "by", "plus", "otherwise"),
        # what someone is doing, after who it is: "a man" / "following me"
        *("following", "followin", "chasing", "watching", "waiting", "standing", "sitting"),
        *("touching", "grabbing", "filming", "forcing", "threatening", "banging", "knocking"),
        # Welsh: and, with, for, because, but, if, then, when, or
        *("ac", "efo", "gyda", "hefo", "am", "achos", "ond", "os", "wedyn", "pan", "neu"),
    }
)
# Words a message cannot end on when its sentence is finished.
BROKEN_OFF_LAST_WORDS = frozenset(
    {
        *("said", "says", "saying", "told", "that", "to", "and", "with", "for", "if", "the"),
        *("a", "my", "of", "because", "but", "so", "when", "then", "or", "until", "unless"),
        *("is", "are"),  # "theres" (normalised "there is") / "a man"
        # Welsh: said, that, and, with, for, if, the, my, because, but
        *("deud", "dweud", "ddeud", "ddweud", "bod", "ac", "efo", "gyda", "am", "os", "y", "yr"),
        *("fy", "achos", "ond"),
    }
)


def continues(before: str, message: str) -> bool:
    """Return whether ``message`` carries on the sentence of ``before`` (both normalised)."""
    words, words_before = message.split(), before.split()
    if not words or not words_before:
        return False
    return words[0] in JOINING_FIRST_WORDS or words_before[-1] in BROKEN_OFF_LAST_WORDS
