"""Reviewed indicator patterns from ``content/safety/patterns.yml``, matched on normalised text.

Patterns are compiled with RE2 (``google-re2``), whose matching time grows linearly with the
message, so no pattern can be made to backtrack on a crafted or huge message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

from bot.content.schema import ContentError, fingerprint
from bot.safety.indicators import INDICATORS, NEGATABLE, NEGATABLE_MODIFIERS, Kind, kind_of

NEGATION = re.compile(
    r"\b(not|never|no|nobody|none|isnt|arent|wasnt|dont|do not|am not|is not|no one|without)\b"
)
NEGATION_WINDOW_WORDS = 3
NEW_CLAUSE = re.compile(r"(he|she|they|someone|somebody|a man|the man|men) ")
PATTERN_KEYS = {"id", "indicator", "regex", "literal"}
# "if I don't pay by tonight": the negation is of the verb, never of the time.
WORDS_OF_TIME = frozenset({"now", "imminent"})
AGE_INDICATORS = frozenset({"writer_age", "child_age", "other_age"})
# RE2's default budget (8 MB) is too small to compile every pattern as one set; the memory is
# taken only as the set's automaton grows.
SET_MEMORY_BYTES = 32 << 20
# How the reviewed Welsh patterns' ids begin (content/safety/patterns.yml).
WELSH_PATTERN_PREFIX = "cy-"


def is_welsh_pattern(pattern_id: str) -> bool:
    """Return whether a pattern id names one of the reviewed Welsh patterns."""
    return pattern_id.startswith(WELSH_PATTERN_PREFIX)


@dataclass(frozen=True)
class SafetyPattern:
    """One reviewed pattern and the indicator it reads."""

    id: str
    indicator: str
    regex: str
    literal: bool
    sha256: str

    @property
    def review_key(self) -> str:
        """Return the key under which this pattern's review is recorded."""
        return f"safety:{self.id}"


@dataclass(frozen=True)
class Match:
    """Where a pattern matched, and what its named groups captured."""

    pattern_id: str
    indicator: str
    start: int
    end: int
    literal: bool
    groups: dict[str, str]


def compile_pattern(regex: str) -> Any:
    """Compile ``regex`` with RE2 (raises ``re2.error`` if RE2 cannot take it)."""
    return re2.compile(regex)


def parse_patterns(raw: Any, file: Path) -> tuple[SafetyPattern, ...]:
    """Parse the patterns file, rejecting unknown indicators and expressions RE2 refuses."""
    if not isinstance(raw, dict) or not isinstance(raw.get("patterns"), list):
        raise ContentError(f"{file.name}: needs a top-level 'patterns' list")
    patterns = []
    seen: set[str] = set()
    for item in raw["patterns"]:
        pattern_id = str(item.get("id", "")) if isinstance(item, dict) else ""
        where = f"{file.name}:{pattern_id}"
        if not isinstance(item, dict) or not pattern_id or pattern_id in seen:
            raise ContentError(f"{where}: each pattern needs a unique id")
        seen.add(pattern_id)
        if set(item) - PATTERN_KEYS:
            raise ContentError(f"{where}: unknown keys {sorted(set(item) - PATTERN_KEYS)}")
        if item.get("indicator") not in INDICATORS:
            raise ContentError(f"{where}: unknown indicator {item.get('indicator')!r}")
        try:
            compile_pattern(str(item["regex"]))
        except (re2.error, KeyError) as exc:
            raise ContentError(f"{where}: invalid regex: {exc}") from exc
        patterns.append(
            SafetyPattern(
                pattern_id,
                item["indicator"],
                str(item["regex"]),
                bool(item.get("literal", False)),
                fingerprint(item),
            )
        )
    return tuple(patterns)


def negated(text: str, start: int) -> bool:
    """Return whether a negation word stands just before position ``start``.

    A match that opens with its own subject ("he has got her in the car") starts a new clause:
    a negation before it belongs to another ("not a chatbot, he has got her").
    """
    if NEW_CLAUSE.match(text, start):
        return False
    before = text[:start].split()[-NEGATION_WINDOW_WORDS:]
    return bool(NEGATION.search(" ".join(before)))


class PatternSet:
    """The reviewed patterns, compiled once, matched against normalised messages.

    An RE2 set finds in one pass which patterns match at all; only those are run again for
    where they match and what their groups captured.
    """

    def __init__(self, patterns: tuple[SafetyPattern, ...] | list[SafetyPattern]) -> None:
        """Compile every pattern, and all of them together as one set."""
        self.patterns = tuple(patterns)
        self._compiled = [(p, compile_pattern(p.regex)) for p in self.patterns]
        options = re2.Options()
        options.max_mem = SET_MEMORY_BYTES
        self._together = re2.Set.SearchSet(options)
        for pattern in self.patterns:
            self._together.Add(pattern.regex)
        self._together.Compile()

    def matches(self, text: str) -> list[Match]:
        """Return every un-negated match in ``text``: the first of each pattern, every age.

        Every age is kept: in "she's 13, he's about 19" the second age is the one that matters.
        Every urgency is kept: in "tonight she told me he is picking her up at 9" the first
        "tonight" says when it was told (not counted), the second time is what matters.
        """
        found = []
        for index in sorted(self._together.Match(text) or ()):
            pattern, compiled = self._compiled[index]
            negatable = pattern.indicator in NEGATABLE_MODIFIERS or (
                kind_of(pattern.indicator) in NEGATABLE and pattern.indicator not in WORDS_OF_TIME
            )
            every_match = kind_of(pattern.indicator) is Kind.URGENCY
            for match in compiled.finditer(text):
                if negatable and negated(text, match.start()):
                    continue
                groups = {k: v for k, v in match.groupdict().items() if v is not None}
                found.append(
                    Match(
                        pattern.id,
                        pattern.indicator,
                        match.start(),
                        match.end(),
                        pattern.literal,
                        groups,
                    )
                )
                if pattern.indicator not in AGE_INDICATORS and not every_match:
                    break
        return found
