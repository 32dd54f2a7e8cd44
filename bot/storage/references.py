"""Reference numbers a young person can read over the phone and quote later.

Eight characters in two groups (``K7MQ-4XPB``): seven random characters and a check character,
from an alphabet of 31 without look-alikes (no 0, O, 1, I or L). The check is the sum of each
character's value times its position, modulo 31: as 31 is prime, any single wrong character and
any swap of two neighbours changes it. Random, so a reference says nothing about how many
others exist or when it was made.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 7
PATTERN = re.compile(r"\b([2-9a-hjkmnp-z]{4})[\s-]?([2-9a-hjkmnp-z]{4})\b", re.IGNORECASE)


def check_character(payload: str) -> str:
    """Return the check character for ``payload`` (position-weighted sum modulo 31)."""
    total = sum(position * ALPHABET.index(char) for position, char in enumerate(payload, start=1))
    return ALPHABET[total % len(ALPHABET)]


def new_reference() -> str:
    """Return a new random reference with its check character, as ``XXXX-XXXX``."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    code = payload + check_character(payload)
    return f"{code[:4]}-{code[4:]}"


def parse_reference(text: str) -> str | None:
    """Return the first valid reference quoted in ``text`` (any case, with or without '-')."""
    for match in PATTERN.finditer(text):
        code = (match.group(1) + match.group(2)).upper()
        if check_character(code[:-1]) == code[-1]:
            return f"{code[:4]}-{code[4:]}"
    return None
