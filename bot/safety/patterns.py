"""Reviewed safety patterns from ``content/safety/patterns.yml``, matched on normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import ContentError, fingerprint

ROUTES_WITH_PATTERNS = ("danger", "disclosure", "concern", "check")
NEGATION = re.compile(r"\b(not|never|no|nobody|none|isnt|arent|wasnt|dont|do not|am not|is not)\b")
NEGATION_WINDOW_WORDS = 3


@dataclass(frozen=True)
class SafetyPattern:
    """One reviewed pattern and the route it points to."""

    id: str
    route: str
    regex: str
    sha256: str

    @property
    def review_key(self) -> str:
        """Return the key under which this pattern's review is recorded."""
        return f"safety:{self.id}"

    def compiled(self) -> re.Pattern[str]:
        """Return the compiled expression."""
        return re.compile(self.regex)


def parse_patterns(raw: Any, file: Path) -> tuple[SafetyPattern, ...]:
    """Parse the patterns file, rejecting unknown routes and invalid expressions."""
    if not isinstance(raw, dict) or not isinstance(raw.get("patterns"), list):
        raise ContentError(f"{file.name}: needs a top-level 'patterns' list")
    patterns = []
    for item in raw["patterns"]:
        pattern_id = str(item.get("id", ""))
        if item.get("route") not in ROUTES_WITH_PATTERNS:
            raise ContentError(
                f"{file.name}:{pattern_id}: route must be one of {ROUTES_WITH_PATTERNS}"
            )
        try:
            re.compile(item["regex"])
        except (re.error, KeyError, TypeError) as exc:
            raise ContentError(f"{file.name}:{pattern_id}: invalid regex: {exc}") from exc
        patterns.append(SafetyPattern(pattern_id, item["route"], item["regex"], fingerprint(item)))
    return tuple(patterns)


def negated(text: str, start: int) -> bool:
    """Return whether a negation word stands just before position ``start``."""
    before = text[:start].split()[-NEGATION_WINDOW_WORDS:]
    return bool(NEGATION.search(" ".join(before)))


def matching_routes(
    text: str, patterns: list[tuple[str, str, re.Pattern[str]]]
) -> list[tuple[str, str]]:
    """Return ``(route, pattern id)`` for each pattern that matches ``text`` un-negated."""
    found = []
    for pattern_id, route, compiled in patterns:
        for match in compiled.finditer(text):
            if not negated(text, match.start()):
                found.append((route, pattern_id))
                break
    return found
