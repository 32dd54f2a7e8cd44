"""What the console's Review pages show: every reviewable thing, its state, and how it reads.

An entry is one thing a safeguarding reviewer signs off (a wording item, a service, a safety
pattern, a line of the web page), with the filters people use (state, topic, audience,
language). A wording item is shown per variant as a young person would see it: the web chat
bubble, the SMS messages it is split into with their segments, its reading grade, its sources,
and where the bot uses it. The progress summary gives the same answer as ``bot content gate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from bot.content.catalogue import Catalogue
from bot.content.checks import readability_grade
from bot.content.review_keys import split_review_key
from bot.content.reviews import (
    ReviewState,
    Verification,
    production_problems,
    review_states,
    verification_of,
)
from bot.content.schema import ContentItem
from bot.content.service_schema import LocalProfile, Service
from bot.paths import PROJECT_ROOT
from bot.sms_encoding import count_segments, split_for_sms

LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}
# where the bot's flows and code name content (searched for each item's id)
USAGE_FILES = ("data/**/*.yml", "domain.yml", "actions/*.py", "bot/**/*.py", "content/*.yml")


@dataclass(frozen=True)
class Entry:
    """One reviewable thing, as the Review list shows it."""

    key: str
    kind: str  # "wording", "service", "safety pattern", "web page"
    topic: str
    audiences: tuple[str, ...]
    languages: tuple[str, ...]
    state: ReviewState


def _entry(catalogue: Catalogue, key: str, state: ReviewState) -> Entry:
    item_id, language = split_review_key(key)
    if item_id in catalogue.items:
        item = catalogue.items[item_id]
        variants = [v for v in item.variants if v.language == language]
        audiences = sorted({a for v in variants for a in v.audiences})
        return Entry(key, "wording", item.file.stem, tuple(audiences), (language,), state)
    kind, _, _ = key.partition(":")
    names = {"service": "service", "safety": "safety pattern", "page": "web page"}
    return Entry(key, names.get(kind, kind), names.get(kind, kind), (), ("en", "cy"), state)


def entries(catalogue: Catalogue, profile: LocalProfile) -> list[Entry]:
    """Return everything shipped with ``profile`` that needs a review, by topic then key."""
    states = review_states(catalogue, profile)
    listed = [_entry(catalogue, key, state) for key, state in states.items()]
    return sorted(listed, key=lambda e: (e.topic, e.key))


def filtered(
    listed: list[Entry], state: str = "", topic: str = "", audience: str = "", language: str = ""
) -> list[Entry]:
    """Return the entries that match every filter given (an empty filter matches all)."""
    return [
        e
        for e in listed
        if (not state or e.state.value == state)
        and (not topic or e.topic == topic)
        and (not audience or audience in e.audiences)
        and (not language or language in e.languages)
    ]


@dataclass(frozen=True)
class Rendering:
    """One variant of a wording item as it reaches a person."""

    language: str
    audiences: tuple[str, ...]
    web: str
    buttons: tuple[str, ...]
    sms_parts: list[tuple[str, int]]  # each text message and its segments
    sms_encoding: str
    grade: float | None  # Flesch-Kincaid grade (English only: no Welsh measure is used)


def renderings(item: ContentItem, language: str) -> list[Rendering]:
    """Return each variant of ``item`` in ``language`` as web chat and SMS, with its grade."""
    return [
        Rendering(
            language=LANGUAGE_NAMES.get(v.language, v.language),
            audiences=v.audiences,
            web=v.web,
            buttons=tuple(b.title for b in v.buttons),
            sms_parts=[(part.text, part.segments) for part in split_for_sms(v.sms)],
            sms_encoding=count_segments(v.sms).encoding,
            grade=round(readability_grade(v.web), 1) if v.language == "en" else None,
        )
        for v in item.variants
        if v.language == language
    ]


def sources_of(catalogue: Catalogue, item: ContentItem) -> list[tuple[str, str | None]]:
    """Return the title and link of each source the item relies on."""
    return [
        (str(catalogue.sources.get(s, {}).get("title", s)), catalogue.sources.get(s, {}).get("url"))
        for s in item.sources
    ]


@lru_cache(maxsize=1)
def _code_texts(root: Path) -> tuple[tuple[str, str], ...]:
    files = sorted({p for pattern in USAGE_FILES for p in root.glob(pattern) if p.is_file()})
    return tuple((str(p.relative_to(root)), p.read_text(encoding="utf-8")) for p in files)


def usages(item_id: str, root: Path = PROJECT_ROOT) -> list[str]:
    """Return the files of the bot's flows and code that name ``item_id``."""
    word = re.compile(rf"\b{re.escape(item_id)}\b")
    own_file = re.compile(rf"^\s*- id: {re.escape(item_id)}\s*$", re.MULTILINE)
    found = []
    for name, text in _code_texts(root):
        if name.startswith("content/responses/") or name == "content/reviews.yml":
            continue
        if word.search(own_file.sub("", text)):
            found.append(name)
    return found


@dataclass(frozen=True)
class Progress:
    """What blocks production for a profile, counted as the gate counts it."""

    reviewed: int
    total: int
    by_language: dict[str, tuple[int, int]]  # language: (items' wording in it reviewed, of)
    services_unverified: int
    services: int
    problems: list[str]

    @property
    def may_start(self) -> bool:
        """Return whether production may start (``bot content gate`` exits 0)."""
        return not self.problems


def progress(catalogue: Catalogue, profile: LocalProfile, today: date) -> Progress:
    """Return the review progress of ``profile``: the same problems as the production gate."""
    states = review_states(catalogue, profile)
    reviewed = sum(state is ReviewState.REVIEWED for state in states.values())
    by_language = {}
    for language, name in LANGUAGE_NAMES.items():
        wording = [
            k
            for k in states
            if split_review_key(k)[0] in catalogue.items and split_review_key(k)[1] == language
        ]
        done = sum(states[k] is ReviewState.REVIEWED for k in wording)
        by_language[name] = (done, len(wording))
    services = catalogue.services_for_profile(profile)
    unverified = sum(
        verification_of(catalogue, s, today).state not in ("verified", "due") for s in services
    )
    problems = production_problems(catalogue, profile, today)
    return Progress(reviewed, len(states), by_language, unverified, len(services), problems)


def service_rows(
    catalogue: Catalogue, profile: LocalProfile, today: date
) -> list[tuple[Service, Verification]]:
    """Return the profile's services with where each stands, the ones needing a check first."""
    order = {"flagged": 0, "unverified": 1, "due": 2, "sample": 3, "verified": 4}
    rows = [
        (s, verification_of(catalogue, s, today)) for s in catalogue.services_for_profile(profile)
    ]
    return sorted(rows, key=lambda row: (order[row[1].state], row[0].id))
