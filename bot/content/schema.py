"""The shape of wording items, parsed strictly from YAML, and the checks every content parser uses.

Parsing rejects anything that does not fit, with a message naming the file and the item,
so a malformed edit can never reach a young person as a half-filled reply. Services and local
profiles are parsed in ``service_schema.py`` with the same checks; the review keys that sign
them live apart in ``review_keys.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUDIENCES = ("young_person", "parent", "professional", "business")
ANY_AUDIENCE = "any"
LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
CHANNELS = ("web", "sms")


class ContentError(ValueError):
    """Raised when a content file does not follow the schema."""


def fingerprint(raw: Any) -> str:
    """Return the SHA-256 of a content record in a canonical JSON form (what a review signs)."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def require(cond: bool, where: str, message: str) -> None:
    """Raise ContentError naming ``where`` unless ``cond`` holds."""
    if not cond:
        raise ContentError(f"{where}: {message}")


def non_empty_text(value: Any, where: str) -> str:
    """Return ``value`` stripped, or raise ContentError unless it is non-empty text."""
    require(isinstance(value, str) and value.strip() != "", where, "must be non-empty text")
    return str(value).strip()


def localised_text(value: Any, where: str) -> dict[str, str]:
    """Parse a ``{language: text}`` mapping that must hold English."""
    require(isinstance(value, dict), where, "must map a language key (en, cy) to text")
    for lang in value:
        require(lang in LANGUAGES, where, f"unknown language {lang!r}")
    require(DEFAULT_LANGUAGE in value, where, "needs an 'en' text")
    return {lang: non_empty_text(text, f"{where}.{lang}") for lang, text in value.items()}


@dataclass(frozen=True)
class Button:
    """A quick reply: what the person sees and the intent it stands for."""

    title: str
    intent: str


@dataclass(frozen=True)
class Variant:
    """One wording of an item, for some audiences in one language, per channel."""

    audiences: tuple[str, ...]
    language: str
    web: str
    sms: str
    buttons: tuple[Button, ...] = ()

    def text(self, channel: str) -> str:
        """Return the wording for ``channel`` ('web' or 'sms')."""
        return self.sms if channel == "sms" else self.web


@dataclass(frozen=True)
class ContentItem:
    """A reviewed unit of wording: a Rasa response (``utter_*``) or a fragment used by actions."""

    id: str
    sources: tuple[str, ...]
    variants: tuple[Variant, ...]
    file: Path

    @property
    def is_response(self) -> bool:
        """Return whether the item becomes a Rasa response (rather than a fragment)."""
        return self.id.startswith("utter_")

    def languages(self) -> list[str]:
        """Return the languages this item has wording for."""
        return sorted({v.language for v in self.variants})

    def variant_for(self, language: str, audience: str | None) -> Variant:
        """Return the variant for an audience, falling back to the ``any`` one, then to English."""
        lang = language if language in self.languages() else DEFAULT_LANGUAGE
        in_language = [v for v in self.variants if v.language == lang]
        for variant in in_language:
            if audience in variant.audiences:
                return variant
        return next(v for v in in_language if ANY_AUDIENCE in v.audiences)


def parse_item(raw: Any, file: Path) -> ContentItem:
    """Parse one wording item, checking audiences are unambiguous and ``any``/``en`` exists."""
    where = f"{file.name}"
    require(isinstance(raw, dict), where, "each item must be a mapping")
    item_id = non_empty_text(raw.get("id"), f"{where}: id")
    where = f"{file.name}:{item_id}"
    unknown = set(raw) - {"id", "sources", "variants"}
    require(not unknown, where, f"unknown keys {sorted(unknown)}")
    sources = raw.get("sources")
    require(isinstance(sources, list), where, "sources must be a list (may be empty)")
    raw_variants = raw.get("variants")
    require(isinstance(raw_variants, list) and raw_variants != [], where, "needs variants")
    variants = tuple(
        _parse_variant(v, f"{where}.variants[{i}]") for i, v in enumerate(raw_variants)
    )
    seen: set[tuple[str, str]] = set()
    for variant in variants:
        for audience in variant.audiences:
            key = (variant.language, audience)
            require(key not in seen, where, f"audience {audience!r} twice for {variant.language}")
            seen.add(key)
    for language in {v.language for v in variants}:
        require((language, ANY_AUDIENCE) in seen, where, f"needs an 'any' variant in {language}")
    require((DEFAULT_LANGUAGE, ANY_AUDIENCE) in seen, where, "needs an 'any' variant in en")
    return ContentItem(
        id=item_id,
        sources=tuple(str(s) for s in sources),
        variants=variants,
        file=file,
    )


def _parse_variant(raw: Any, where: str) -> Variant:
    require(isinstance(raw, dict), where, "must be a mapping")
    unknown = set(raw) - {"audience", "language", "web", "sms", "buttons"}
    require(not unknown, where, f"unknown keys {sorted(unknown)}")
    audience = raw.get("audience")
    audiences = tuple(audience) if isinstance(audience, list) else (audience,)
    for a in audiences:
        require(a in (*AUDIENCES, ANY_AUDIENCE), where, f"unknown audience {a!r}")
    require(
        len(audiences) == 1 or ANY_AUDIENCE not in audiences, where, "'any' cannot be in a list"
    )
    language = raw.get("language")
    require(language in LANGUAGES, where, f"language must be one of {LANGUAGES}")
    buttons = raw.get("buttons") or []
    require(isinstance(buttons, list), where, "buttons must be a list")
    parsed_buttons = tuple(
        Button(
            title=non_empty_text(
                b.get("title") if isinstance(b, dict) else None, f"{where}.buttons[{i}].title"
            ),
            intent=non_empty_text(b.get("intent"), f"{where}.buttons[{i}].intent"),
        )
        for i, b in enumerate(buttons)
    )
    return Variant(
        audiences=audiences,
        language=str(language),
        web=non_empty_text(raw.get("web"), f"{where}.web"),
        sms=non_empty_text(raw.get("sms"), f"{where}.sms"),
        buttons=parsed_buttons,
    )
