"""Load the whole ``content/`` folder into one validated catalogue.

Layout:
  content/responses/*.yml   wording items (Rasa responses ``utter_*`` and fragments ``label_*``)
  content/sources.yml       where the facts in the wording come from
  content/services/*.yml    national services
  content/local/*.yml       local profiles (one per council)
  content/safety/patterns.yml  reviewed safety patterns (review key ``safety:<id>``)
  content/web/page.yml      words on the web chat page (review key ``page:<id>``)
  content/follow_ups.yml    which reviewed answer follows which earlier answer
  content/reviews.yml       review records, keyed by item id (English; ``id@cy`` for Welsh),
                            ``service:<id>``, ``safety:<id>``
                            or ``page:<id>``; and services' verifications, by service id
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.content.follow_ups import FollowUps, parse_follow_ups
from bot.content.page_text import PageText, parse_page_texts
from bot.content.review_keys import review_keys
from bot.content.schema import ContentError, ContentItem, parse_item
from bot.content.service_schema import LocalProfile, Service, parse_profile, parse_service
from bot.paths import content_dir
from bot.safety.patterns import SafetyPattern, parse_patterns

DEFAULT_PROFILE = "wiltshire"


def selected_profile_id() -> str:
    """Return the local profile this deployment uses (``BOT_LOCAL_PROFILE``)."""
    return os.environ.get("BOT_LOCAL_PROFILE", DEFAULT_PROFILE)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc


@dataclass(frozen=True)
class Catalogue:
    """Every item of content, by id, with the services, profiles, sources and reviews."""

    root: Path
    items: dict[str, ContentItem]
    sources: dict[str, dict[str, Any]]
    national_services: tuple[Service, ...]
    profiles: dict[str, LocalProfile]
    safety_patterns: tuple[SafetyPattern, ...]
    page_texts: tuple[PageText, ...]
    reviews: dict[str, dict[str, Any]]
    follow_ups: FollowUps
    verifications: dict[str, dict[str, Any]] = field(default_factory=dict)  # by service id

    def item(self, item_id: str) -> ContentItem:
        """Return an item by id (``KeyError`` if it does not exist)."""
        return self.items[item_id]

    def text(self, item_id: str, language: str, audience: str | None, channel: str) -> str:
        """Return the reviewed wording of a fragment for a language, audience and channel."""
        return self.items[item_id].variant_for(language, audience).text(channel)

    def page_text(self, text_id: str, language: str | None = None) -> str:
        """Return a reviewed line of the web chat page (``content/web/page.yml``)."""
        return next(t.in_language(language) for t in self.page_texts if t.id == text_id)

    def profile(self, profile_id: str | None = None) -> LocalProfile:
        """Return a local profile, by default the one this deployment uses."""
        wanted = profile_id or selected_profile_id()
        if wanted not in self.profiles:
            raise ContentError(f"no local profile {wanted!r} in {self.root / 'local'}")
        return self.profiles[wanted]

    def services_for_profile(self, profile: LocalProfile) -> list[Service]:
        """Return the national services for the profile's nation, then the profile's own."""
        national = [s for s in self.national_services if profile.nation in s.nations]
        return [*national, *profile.services]

    def reviewable(self, profile: LocalProfile | None = None) -> dict[str, str]:
        """Return ``{review key: sha256}`` for everything shipped with a profile (all if None)."""
        keys = {k: sha for item in self.items.values() for k, sha in review_keys(item).items()}
        profiles = [profile] if profile else list(self.profiles.values())
        services = [*self.national_services, *(s for p in profiles for s in p.services)]
        keys.update({s.review_key: s.sha256 for s in services})
        keys.update({p.review_key: p.sha256 for p in self.safety_patterns})
        keys.update({t.review_key: t.sha256 for t in self.page_texts})
        return keys


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Read and validate every content file under ``root`` (the content folder by default)."""
    root = root or content_dir()
    items: dict[str, ContentItem] = {}
    for path in sorted((root / "responses").glob("*.yml")):
        data = _read_yaml(path) or {}
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ContentError(f"{path.name}: needs a top-level 'items' list")
        for raw in data["items"]:
            item = parse_item(raw, path)
            if item.id in items:
                raise ContentError(
                    f"{path.name}: id {item.id!r} also in {items[item.id].file.name}"
                )
            items[item.id] = item
    sources_data = _read_yaml(root / "sources.yml") or {}
    sources = {str(s["id"]): s for s in sources_data.get("sources", [])}
    for item in items.values():
        missing = [s for s in item.sources if s not in sources]
        if missing:
            raise ContentError(f"{item.file.name}:{item.id}: unknown sources {missing}")
    national: list[Service] = []
    for path in sorted((root / "services").glob("*.yml")):
        data = _read_yaml(path) or {}
        national.extend(parse_service(raw, path) for raw in data.get("services", []))
    profiles = {}
    for path in sorted((root / "local").glob("*.yml")):
        profile = parse_profile(_read_yaml(path), path)
        profiles[profile.id] = profile
    all_services = [*national, *(s for p in profiles.values() for s in p.services)]
    seen_services: set[str] = set()
    for service in all_services:
        if service.id in seen_services:
            raise ContentError(f"service id {service.id!r} is used twice")
        seen_services.add(service.id)
    patterns_path = root / "safety" / "patterns.yml"
    safety_patterns = parse_patterns(_read_yaml(patterns_path), patterns_path)
    page_path = root / "web" / "page.yml"
    page_texts = parse_page_texts(_read_yaml(page_path), page_path)
    follow_ups_path = root / "follow_ups.yml"
    follow_ups = parse_follow_ups(_read_yaml(follow_ups_path), follow_ups_path, set(items))
    reviews_path = root / "reviews.yml"
    reviews_data = (_read_yaml(reviews_path) or {}) if reviews_path.exists() else {}
    return Catalogue(
        root=root,
        items=items,
        sources=sources,
        national_services=tuple(national),
        profiles=profiles,
        safety_patterns=safety_patterns,
        page_texts=page_texts,
        reviews=dict(reviews_data.get("reviews") or {}),
        verifications=dict(reviews_data.get("verifications") or {}),
        follow_ups=follow_ups,
    )


@lru_cache(maxsize=4)
def cached_catalogue(root: Path) -> Catalogue:
    """Load a catalogue once per process (the action server reads content at start-up)."""
    return load_catalogue(root)


def current_catalogue(root: Path) -> Catalogue:
    """Return the catalogue as the files are now: loaded again only when one of them changed.

    For the console's Review pages, where a review changes ``reviews.yml`` while the server
    runs; the bot itself keeps the catalogue it started with (:func:`cached_catalogue`).
    """
    files = sorted(p for p in root.rglob("*.yml") if not p.name.startswith("."))  # not temporary
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _catalogue_as_of(root, stamp)


@lru_cache(maxsize=2)
def _catalogue_as_of(root: Path, stamp: tuple[tuple[str, int, int], ...]) -> Catalogue:
    return load_catalogue(root)
