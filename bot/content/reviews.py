"""Review records for content, and the gate that keeps unreviewed words out of production.

A review signs the SHA-256 of an item as it was read; any later edit changes the hash, so
the item counts as changed until someone reviews it again.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import yaml

from bot.content.catalogue import Catalogue
from bot.content.schema import ContentError, LocalProfile


class ReviewState(str, Enum):
    """Where an item stands against its review record."""

    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"
    CHANGED = "changed since review"


def review_states(
    catalogue: Catalogue, profile: LocalProfile | None = None
) -> dict[str, ReviewState]:
    """Return the review state of everything shipped with ``profile`` (everything if None)."""
    states = {}
    for key, sha256 in catalogue.reviewable(profile).items():
        record = catalogue.reviews.get(key)
        if record is None:
            states[key] = ReviewState.UNREVIEWED
        elif record.get("sha256") != sha256:
            states[key] = ReviewState.CHANGED
        else:
            states[key] = ReviewState.REVIEWED
    return states


def parse_reviewer(reviewer: str) -> tuple[str, str]:
    """Split ``"Name, role"`` into its two parts; both are required."""
    name, _, role = reviewer.partition(",")
    if not name.strip() or not role.strip():
        raise ContentError('a reviewer is given as "Name, role"')
    return name.strip(), role.strip()


def record_reviews(catalogue: Catalogue, keys: list[str], reviewer: str, on: date) -> None:
    """Record that ``reviewer`` reviewed ``keys`` as they are now, in ``content/reviews.yml``."""
    name, role = parse_reviewer(reviewer)
    hashes = catalogue.reviewable()
    unknown = [k for k in keys if k not in hashes]
    if unknown:
        raise ContentError(f"no content item or service with id {unknown}")
    reviews = dict(catalogue.reviews)
    for key in keys:
        reviews[key] = {"sha256": hashes[key], "reviewer": name, "role": role, "date": on}
    header = "# Review records: who reviewed each item, when, and the hash of what they read.\n"
    header += "# Written by `bot content review`; do not edit by hand.\n"
    body = yaml.safe_dump(
        {"reviews": dict(sorted(reviews.items()))}, sort_keys=False, allow_unicode=True
    )
    (catalogue.root / "reviews.yml").write_text(header + body, encoding="utf-8")


def production_problems(catalogue: Catalogue, profile: LocalProfile) -> list[str]:
    """Return why production may not start: unreviewed or changed items, unverified services."""
    problems = [
        f"{key}: {state.value}"
        for key, state in sorted(review_states(catalogue, profile).items())
        if state is not ReviewState.REVIEWED
    ]
    for service in catalogue.services_for_profile(profile):
        if not service.is_verified():
            problems.append(f"service:{service.id}: unverified (sample or unchecked contact)")
    if profile.sample:
        problems.append(f"local profile {profile.id}: marked as a sample")
    return problems
