"""The shape of content: wording items, services and local profiles, parsed strictly from YAML.

Parsing rejects anything that does not fit, with a message naming the file and the item,
so a malformed edit can never reach a young person as a half-filled reply. Items, services and
profiles stay together (about 400 lines): each parser leans on the same small checks, and the
review keys that sign them live apart in ``review_keys.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

AUDIENCES = ("young_person", "parent", "professional", "business")
ANY_AUDIENCE = "any"
LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
CHANNELS = ("web", "sms")
CONTACT_TYPES = ("phone", "text", "web", "email", "chat")
SMS_CONTACT_TYPES = ("phone", "text")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NATIONS = ("england", "wales")
BANK_HOLIDAY_RULES = ("normal", "closed", "as_sunday")
# What a person can need from a service (adult_worried: an adult worried about a child;
# criminal_exploitation: county lines, made to carry or sell drugs); the help finder and the
# short listing match on these.
NEEDS: tuple[str, ...] = ("danger", "talk", "report", "image_removal", "after_assault")
NEEDS += ("self_harm", "missing", "adult_worried", "criminal_exploitation")


class ContentError(ValueError):
    """Raised when a content file does not follow the schema."""


def fingerprint(raw: Any) -> str:
    """Return the SHA-256 of a content record in a canonical JSON form (what a review signs)."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _require(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise ContentError(f"{where}: {message}")


def _text(value: Any, where: str) -> str:
    _require(isinstance(value, str) and value.strip() != "", where, "must be non-empty text")
    return str(value).strip()


def _localised(value: Any, where: str) -> dict[str, str]:
    """Parse a ``{language: text}`` mapping that must hold English."""
    _require(isinstance(value, dict), where, "must map a language key (en, cy) to text")
    for lang in value:
        _require(lang in LANGUAGES, where, f"unknown language {lang!r}")
    _require(DEFAULT_LANGUAGE in value, where, "needs an 'en' text")
    return {lang: _text(text, f"{where}.{lang}") for lang, text in value.items()}


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
    _require(isinstance(raw, dict), where, "each item must be a mapping")
    item_id = _text(raw.get("id"), f"{where}: id")
    where = f"{file.name}:{item_id}"
    unknown = set(raw) - {"id", "sources", "variants"}
    _require(not unknown, where, f"unknown keys {sorted(unknown)}")
    sources = raw.get("sources")
    _require(isinstance(sources, list), where, "sources must be a list (may be empty)")
    raw_variants = raw.get("variants")
    _require(isinstance(raw_variants, list) and raw_variants != [], where, "needs variants")
    variants = tuple(
        _parse_variant(v, f"{where}.variants[{i}]") for i, v in enumerate(raw_variants)
    )
    seen: set[tuple[str, str]] = set()
    for variant in variants:
        for audience in variant.audiences:
            key = (variant.language, audience)
            _require(key not in seen, where, f"audience {audience!r} twice for {variant.language}")
            seen.add(key)
    for language in {v.language for v in variants}:
        _require((language, ANY_AUDIENCE) in seen, where, f"needs an 'any' variant in {language}")
    _require((DEFAULT_LANGUAGE, ANY_AUDIENCE) in seen, where, "needs an 'any' variant in en")
    return ContentItem(
        id=item_id,
        sources=tuple(str(s) for s in sources),
        variants=variants,
        file=file,
    )


def _parse_variant(raw: Any, where: str) -> Variant:
    _require(isinstance(raw, dict), where, "must be a mapping")
    unknown = set(raw) - {"audience", "language", "web", "sms", "buttons"}
    _require(not unknown, where, f"unknown keys {sorted(unknown)}")
    audience = raw.get("audience")
    audiences = tuple(audience) if isinstance(audience, list) else (audience,)
    for a in audiences:
        _require(a in (*AUDIENCES, ANY_AUDIENCE), where, f"unknown audience {a!r}")
    _require(
        len(audiences) == 1 or ANY_AUDIENCE not in audiences, where, "'any' cannot be in a list"
    )
    language = raw.get("language")
    _require(language in LANGUAGES, where, f"language must be one of {LANGUAGES}")
    buttons = raw.get("buttons") or []
    _require(isinstance(buttons, list), where, "buttons must be a list")
    parsed_buttons = tuple(
        Button(
            title=_text(
                b.get("title") if isinstance(b, dict) else None, f"{where}.buttons[{i}].title"
            ),
            intent=_text(b.get("intent"), f"{where}.buttons[{i}].intent"),
        )
        for i, b in enumerate(buttons)
    )
    return Variant(
        audiences=audiences,
        language=str(language),
        web=_text(raw.get("web"), f"{where}.web"),
        sms=_text(raw.get("sms"), f"{where}.sms"),
        buttons=parsed_buttons,
    )


@dataclass(frozen=True)
class Contact:
    """One way to reach a service, with the reviewed words shown for it."""

    type: str
    value: str
    display: dict[str, str]
    verified: bool = True


@dataclass(frozen=True)
class WeeklyHours:
    """Opening hours on some weekdays; a close at or before the opening time runs past midnight."""

    days: tuple[int, ...]
    opens: time
    closes_minutes: int


@dataclass(frozen=True)
class Service:
    """A place to get help: what it is for, how to reach it and when it is open."""

    id: str
    name: dict[str, str]
    purpose: dict[str, str]
    contacts: tuple[Contact, ...]
    always_open: bool
    hours: tuple[WeeklyHours, ...]
    hours_known: bool
    hours_text: dict[str, str]
    bank_holidays: str
    audiences: tuple[str, ...]
    nations: tuple[str, ...]
    emergency: bool
    source_url: str | None
    verified_on: date | None
    sample: bool
    sha256: str = field(compare=False)
    needs: tuple[str, ...] = ()

    @property
    def review_key(self) -> str:
        """Return the key under which this service's review is recorded."""
        return f"service:{self.id}"

    def is_verified(self) -> bool:
        """Return whether the service and every contact of it have been checked at source."""
        return (
            self.verified_on is not None
            and not self.sample
            and all(c.verified for c in self.contacts)
        )


def _clock(value: Any, where: str) -> int:
    """Parse ``HH:MM`` (``24:00`` allowed) into minutes after midnight."""
    _require(isinstance(value, str) and len(value) == 5 and value[2] == ":", where, "use HH:MM")
    hours, minutes = int(value[:2]), int(value[3:])
    _require(0 <= hours <= 24 and 0 <= minutes < 60, where, "not a time of day")
    _require(hours * 60 + minutes <= 24 * 60, where, "after 24:00")
    return hours * 60 + minutes


def parse_service(raw: Any, file: Path) -> Service:
    """Parse one service record."""
    where = file.name
    _require(isinstance(raw, dict), where, "each service must be a mapping")
    service_id = _text(raw.get("id"), f"{where}: id")
    where = f"{file.name}:{service_id}"
    allowed = {
        "id",
        "name",
        "purpose",
        "contacts",
        "hours",
        "hours_text",
        "bank_holidays",
        "audiences",
        "nations",
        "emergency",
        "source_url",
        "verified_on",
        "sample",
        "needs",
    }
    unknown = set(raw) - allowed
    _require(not unknown, where, f"unknown keys {sorted(unknown)}")
    contacts_raw = raw.get("contacts")
    _require(isinstance(contacts_raw, list) and contacts_raw != [], where, "needs contacts")
    contacts = []
    for i, c in enumerate(contacts_raw):
        cw = f"{where}.contacts[{i}]"
        _require(isinstance(c, dict), cw, "must be a mapping")
        _require(c.get("type") in CONTACT_TYPES, cw, f"type must be one of {CONTACT_TYPES}")
        verified = c.get("verified", True)
        _require(isinstance(verified, bool), cw, "verified must be true or false")
        contacts.append(
            Contact(
                type=str(c["type"]),
                value=_text(c.get("value"), f"{cw}.value"),
                display=_localised(c.get("display"), f"{cw}.display"),
                verified=verified,
            )
        )
    hours_raw = raw.get("hours")
    always_open = hours_raw == "always"
    hours_known = hours_raw != "unknown"
    weekly: list[WeeklyHours] = []
    if not always_open and hours_known:
        _require(
            isinstance(hours_raw, list) and hours_raw != [],
            where,
            "hours: always, unknown or a list",
        )
        for i, h in enumerate(hours_raw):
            hw = f"{where}.hours[{i}]"
            _require(isinstance(h, dict), hw, "must be a mapping")
            days = h.get("days")
            _require(isinstance(days, list) and all(d in WEEKDAYS for d in days), hw, "bad days")
            opens = _clock(h.get("open"), f"{hw}.open")
            weekly.append(
                WeeklyHours(
                    days=tuple(WEEKDAYS.index(d) for d in days),
                    opens=time(opens // 60, opens % 60) if opens < 24 * 60 else time(0, 0),
                    closes_minutes=_clock(h.get("close"), f"{hw}.close"),
                )
            )
    bank = raw.get("bank_holidays", "normal")
    _require(
        bank in BANK_HOLIDAY_RULES, where, f"bank_holidays must be one of {BANK_HOLIDAY_RULES}"
    )
    audiences = raw.get("audiences")
    _require(
        isinstance(audiences, list) and all(a in (*AUDIENCES, ANY_AUDIENCE) for a in audiences),
        where,
        "audiences must list young_person, parent, professional, business or any",
    )
    needs = raw.get("needs", [])
    _require(
        isinstance(needs, list) and all(n in NEEDS for n in needs), where, f"needs: some of {NEEDS}"
    )
    nations = raw.get("nations", list(NATIONS))
    _require(isinstance(nations, list) and all(n in NATIONS for n in nations), where, "bad nations")
    verified_on = raw.get("verified_on")
    _require(
        verified_on is None or isinstance(verified_on, date), where, "verified_on: a date or null"
    )
    source_url = raw.get("source_url")
    _require(source_url is None or isinstance(source_url, str), where, "source_url: text or null")
    return Service(
        id=service_id,
        name=_localised(raw.get("name"), f"{where}.name"),
        purpose=_localised(raw.get("purpose"), f"{where}.purpose"),
        contacts=tuple(contacts),
        always_open=always_open,
        hours=tuple(weekly),
        hours_known=hours_known,
        hours_text=_localised(raw.get("hours_text"), f"{where}.hours_text"),
        bank_holidays=str(bank),
        audiences=tuple(audiences),
        nations=tuple(nations),
        emergency=bool(raw.get("emergency", False)),
        source_url=source_url,
        verified_on=verified_on,
        sample=bool(raw.get("sample", False)),
        sha256=fingerprint(raw),
        needs=tuple(needs),
    )


@dataclass(frozen=True)
class LocalProfile:
    """A council's own settings: its services, nation and bank holidays."""

    id: str
    council: dict[str, str]
    nation: str
    sample: bool
    bank_holidays: frozenset[date]
    services: tuple[Service, ...]
    file: Path
    welsh_first: bool = False  # conversations start in Welsh (English one tap away)
    staffed_by: str | None = None  # the service whose hours are the duty team's staffed hours


def parse_profile(raw: Any, file: Path) -> LocalProfile:
    """Parse a local profile file."""
    where = file.name
    _require(isinstance(raw, dict), where, "a profile must be a mapping")
    unknown = set(raw) - {
        "id",
        "council",
        "nation",
        "sample",
        "bank_holidays",
        "services",
        "welsh_first",
        "staffed_by",
    }
    _require(not unknown, where, f"unknown keys {sorted(unknown)}")
    _require(isinstance(raw.get("welsh_first", False), bool), where, "welsh_first: true or false")
    nation = raw.get("nation")
    _require(nation in NATIONS, where, f"nation must be one of {NATIONS}")
    holidays = raw.get("bank_holidays")
    _require(
        isinstance(holidays, list) and all(isinstance(d, date) for d in holidays),
        where,
        "bank_holidays must be a list of dates",
    )
    services = raw.get("services")
    _require(isinstance(services, list) and services != [], where, "needs services")
    parsed = tuple(parse_service(s, file) for s in services)
    staffed_by = raw.get("staffed_by")
    _require(
        staffed_by is None or staffed_by in {s.id for s in parsed},
        where,
        "staffed_by must name one of the profile's services",
    )
    return LocalProfile(
        id=_text(raw.get("id"), f"{where}: id"),
        council=_localised(raw.get("council"), f"{where}.council"),
        nation=str(nation),
        sample=bool(raw.get("sample", False)),
        bank_holidays=frozenset(holidays),
        services=parsed,
        file=file,
        welsh_first=bool(raw.get("welsh_first", False)),
        staffed_by=staffed_by,
    )
