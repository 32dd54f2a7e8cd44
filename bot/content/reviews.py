"""Reviews of content, verifications of services, and the gate that keeps unreviewed words out.

A review signs the SHA-256 of an item's wording in one language as it was read (English under
the item's id, Welsh under ``id@cy``), with the reviewer's decision (approved, or
changes requested with a comment) and, for wording, the text they read; any later edit changes
the hash, so the item counts as changed until someone reviews it again. A service is verified
when its contacts were checked at source (in its own file, or by a reviewer in the console),
and is due for checking again after :data:`VERIFICATION_DUE_DAYS`. The command line and the
console record both through the functions here (``bot/content/review_records.py`` writes).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from bot.content.catalogue import Catalogue
from bot.content.review_keys import split_review_key
from bot.content.review_records import Records, change_records
from bot.content.schema import ContentError, ContentItem
from bot.content.service_schema import LocalProfile, Service

APPROVED, CHANGES_REQUESTED = "approved", "changes_requested"
VERIFIED, FLAGGED = "verified", "flagged"
VERIFICATION_DUE_DAYS = 180


class ReviewState(str, Enum):
    """Where an item stands against its review record."""

    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"
    CHANGED = "changed since review"
    CHANGES_REQUESTED = "changes requested"


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
        elif record.get("decision", APPROVED) == CHANGES_REQUESTED:
            states[key] = ReviewState.CHANGES_REQUESTED
        else:
            states[key] = ReviewState.REVIEWED
    return states


def parse_reviewer(reviewer: str) -> tuple[str, str]:
    """Split ``"Name, role"`` into its two parts; both are required."""
    name, _, role = reviewer.partition(",")
    if not name.strip() or not role.strip():
        raise ContentError('a reviewer is given as "Name, role"')
    return name.strip(), role.strip()


def wording_lines(item: ContentItem, language: str) -> list[str]:
    """Return an item's wording in ``language`` as lines: audiences, channel and text."""
    lines = []
    for variant in (v for v in item.variants if v.language == language):
        where = f"{variant.language} ({', '.join(variant.audiences)})"
        lines += [f"{where} web: {line}" for line in variant.web.splitlines()]
        lines += [f"{where} SMS: {line}" for line in variant.sms.splitlines()]
        lines += [f"{where} button: {b.title}" for b in variant.buttons]
    return lines


def record_reviews(
    catalogue: Catalogue,
    keys: list[str],
    reviewer: str,
    on: date,
    decision: str = APPROVED,
    comment: str = "",
) -> None:
    """Record that ``reviewer`` ("Name, role") reviewed ``keys`` as they are now.

    ``decision`` is :data:`APPROVED` or :data:`CHANGES_REQUESTED` (which needs a comment saying
    what should change). Wording keeps the text as read, so a later edit can be shown.
    """
    name, role = parse_reviewer(reviewer)
    if decision not in (APPROVED, CHANGES_REQUESTED):
        raise ContentError("a review either approves or requests changes")
    if decision == CHANGES_REQUESTED and not comment.strip():
        raise ContentError("say what should change")
    hashes = catalogue.reviewable()
    unknown = [k for k in keys if k not in hashes]
    if unknown:
        raise ContentError(f"no content item or service with id {unknown}")

    def add(records: Records) -> None:
        for key in keys:
            record: dict[str, Any] = {
                "sha256": hashes[key],
                "reviewer": name,
                "role": role,
                "date": on,
                "decision": decision,
            }
            if comment.strip():
                record["comment"] = comment.strip()
            item_id, language = split_review_key(key)
            if item_id in catalogue.items:
                record["wording"] = wording_lines(catalogue.items[item_id], language)
            records["reviews"][key] = record

    change_records(catalogue.root, add)


def changes_since_review(catalogue: Catalogue, key: str) -> list[str]:
    """Return how wording (``key``: an item in one language) changed since it was reviewed.

    As unified diff lines; nothing when it was never reviewed, or the review kept no wording.
    """
    record = catalogue.reviews.get(key) or {}
    before = [str(line) for line in record.get("wording") or []]
    if not before:
        return []
    item_id, language = split_review_key(key)
    now = wording_lines(catalogue.items[item_id], language)
    diff = difflib.unified_diff(before, now, "as reviewed", "now", lineterm="", n=1)
    return list(diff)[2:]


@dataclass(frozen=True)
class Verification:
    """Where a service stands: verified (and when, by whom), due again, flagged or not yet."""

    state: str  # "verified", "due", "flagged", "unverified" or "sample"
    on: date | None = None
    by: str = ""
    comment: str = ""


def verification_of(catalogue: Catalogue, service: Service, today: date) -> Verification:
    """Return whether ``service``'s contacts are verified at source, as of ``today``."""
    if service.sample:
        return Verification("sample")
    record = catalogue.verifications.get(service.id) or {}
    current = record.get("sha256") == service.sha256
    if current and record.get("decision") == FLAGGED:
        return Verification("flagged", record.get("date"), _who(record), record.get("comment", ""))
    dates: list[tuple[date, str]] = []
    if service.is_verified() and service.verified_on is not None:
        dates.append((service.verified_on, "its file"))
    if current and record.get("decision") == VERIFIED:
        dates.append((record["date"], _who(record)))
    if not dates:
        return Verification("unverified")
    on, by = max(dates, key=lambda d: d[0])
    state = "due" if (today - on).days > VERIFICATION_DUE_DAYS else "verified"
    return Verification(state, on, by, record.get("comment", "") if current else "")


def _who(record: dict[str, Any]) -> str:
    return f"{record.get('reviewer', '')}, {record.get('role', '')}".strip(", ")


def verify_service(
    catalogue: Catalogue, service_id: str, reviewer: str, on: date, decision: str, comment: str
) -> None:
    """Record that ``reviewer`` checked a service's contacts at source (or flagged a problem)."""
    name, role = parse_reviewer(reviewer)
    services = {s.id: s for s in _all_services(catalogue)}
    service = services.get(service_id)
    if service is None:
        raise ContentError(f"no service with id {service_id!r}")
    if decision not in (VERIFIED, FLAGGED):
        raise ContentError("a service is either verified or flagged")
    if decision == FLAGGED and not comment.strip():
        raise ContentError("say what is wrong with the service")
    if decision == VERIFIED and service.sample:
        raise ContentError("a sample service cannot be verified: replace its sample numbers first")
    record = {"sha256": service.sha256, "reviewer": name, "role": role, "date": on}
    record |= {"decision": decision, **({"comment": comment.strip()} if comment.strip() else {})}

    def add(records: Records) -> None:
        records["verifications"][service_id] = record

    change_records(catalogue.root, add)


def _all_services(catalogue: Catalogue) -> list[Service]:
    profiles = catalogue.profiles.values()
    return [*catalogue.national_services, *(s for p in profiles for s in p.services)]


def production_problems(
    catalogue: Catalogue, profile: LocalProfile, today: date | None = None
) -> list[str]:
    """Return why production may not start: unreviewed or changed items, unverified services."""
    problems = [
        f"{key}: {state.value}"
        for key, state in sorted(review_states(catalogue, profile).items())
        if state is not ReviewState.REVIEWED
    ]
    for service in catalogue.services_for_profile(profile):
        state = verification_of(catalogue, service, today or date.today()).state
        if state not in ("verified", "due"):
            problems.append(f"service:{service.id}: unverified ({state})")
    if profile.sample:
        problems.append(f"local profile {profile.id}: marked as a sample")
    return problems
