"""The shape of services and local profiles, parsed strictly from YAML.

A service is a place to get help (what it is for, how to reach it, when it is open); a local
profile is one council's settings and its services. The checks are ``schema.py``'s, so a
malformed service is refused with the file and the service named, as a malformed item is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from bot.content.schema import (
    ANY_AUDIENCE,
    AUDIENCES,
    fingerprint,
    localised_text,
    non_empty_text,
    require,
)

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
    require(isinstance(value, str) and len(value) == 5 and value[2] == ":", where, "use HH:MM")
    hours, minutes = int(value[:2]), int(value[3:])
    require(0 <= hours <= 24 and 0 <= minutes < 60, where, "not a time of day")
    require(hours * 60 + minutes <= 24 * 60, where, "after 24:00")
    return hours * 60 + minutes


def _parse_contacts(contacts_raw: Any, where: str) -> list[Contact]:
    """Parse a service's non-empty list of contacts."""
    require(isinstance(contacts_raw, list) and contacts_raw != [], where, "needs contacts")
    contacts = []
    for i, c in enumerate(contacts_raw):
        cw = f"{where}.contacts[{i}]"
        require(isinstance(c, dict), cw, "must be a mapping")
        require(c.get("type") in CONTACT_TYPES, cw, f"type must be one of {CONTACT_TYPES}")
        verified = c.get("verified", True)
        require(isinstance(verified, bool), cw, "verified must be true or false")
        contacts.append(
            Contact(
                type=str(c["type"]),
                value=non_empty_text(c.get("value"), f"{cw}.value"),
                display=localised_text(c.get("display"), f"{cw}.display"),
                verified=verified,
            )
        )
    return contacts


def _parse_hours(hours_raw: Any, where: str) -> list[WeeklyHours]:
    """Parse a service's weekly opening hours (a non-empty list of days with open and close)."""
    require(
        isinstance(hours_raw, list) and hours_raw != [], where, "hours: always, unknown or a list"
    )
    weekly = []
    for i, h in enumerate(hours_raw):
        hw = f"{where}.hours[{i}]"
        require(isinstance(h, dict), hw, "must be a mapping")
        days = h.get("days")
        require(isinstance(days, list) and all(d in WEEKDAYS for d in days), hw, "bad days")
        opens = _clock(h.get("open"), f"{hw}.open")
        weekly.append(
            WeeklyHours(
                days=tuple(WEEKDAYS.index(d) for d in days),
                opens=time(opens // 60, opens % 60) if opens < 24 * 60 else time(0, 0),
                closes_minutes=_clock(h.get("close"), f"{hw}.close"),
            )
        )
    return weekly


def parse_service(raw: Any, file: Path) -> Service:
    """Parse one service record."""
    where = file.name
    require(isinstance(raw, dict), where, "each service must be a mapping")
    service_id = non_empty_text(raw.get("id"), f"{where}: id")
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
    require(not unknown, where, f"unknown keys {sorted(unknown)}")
    contacts = _parse_contacts(raw.get("contacts"), where)
    hours_raw = raw.get("hours")
    always_open = hours_raw == "always"
    hours_known = hours_raw != "unknown"
    weekly = _parse_hours(hours_raw, where) if not always_open and hours_known else []
    bank = raw.get("bank_holidays", "normal")
    require(bank in BANK_HOLIDAY_RULES, where, f"bank_holidays must be one of {BANK_HOLIDAY_RULES}")
    audiences = raw.get("audiences")
    require(
        isinstance(audiences, list) and all(a in (*AUDIENCES, ANY_AUDIENCE) for a in audiences),
        where,
        "audiences must list young_person, parent, professional, business or any",
    )
    needs = raw.get("needs", [])
    require(
        isinstance(needs, list) and all(n in NEEDS for n in needs), where, f"needs: some of {NEEDS}"
    )
    nations = raw.get("nations", list(NATIONS))
    require(isinstance(nations, list) and all(n in NATIONS for n in nations), where, "bad nations")
    verified_on = raw.get("verified_on")
    require(
        verified_on is None or isinstance(verified_on, date), where, "verified_on: a date or null"
    )
    source_url = raw.get("source_url")
    require(source_url is None or isinstance(source_url, str), where, "source_url: text or null")
    return Service(
        id=service_id,
        name=localised_text(raw.get("name"), f"{where}.name"),
        purpose=localised_text(raw.get("purpose"), f"{where}.purpose"),
        contacts=tuple(contacts),
        always_open=always_open,
        hours=tuple(weekly),
        hours_known=hours_known,
        hours_text=localised_text(raw.get("hours_text"), f"{where}.hours_text"),
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
    require(isinstance(raw, dict), where, "a profile must be a mapping")
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
    require(not unknown, where, f"unknown keys {sorted(unknown)}")
    require(isinstance(raw.get("welsh_first", False), bool), where, "welsh_first: true or false")
    nation = raw.get("nation")
    require(nation in NATIONS, where, f"nation must be one of {NATIONS}")
    holidays = raw.get("bank_holidays")
    require(
        isinstance(holidays, list) and all(isinstance(d, date) for d in holidays),
        where,
        "bank_holidays must be a list of dates",
    )
    services = raw.get("services")
    require(isinstance(services, list) and services != [], where, "needs services")
    parsed = tuple(parse_service(s, file) for s in services)
    staffed_by = raw.get("staffed_by")
    require(
        staffed_by is None or staffed_by in {s.id for s in parsed},
        where,
        "staffed_by must name one of the profile's services",
    )
    return LocalProfile(
        id=non_empty_text(raw.get("id"), f"{where}: id"),
        council=localised_text(raw.get("council"), f"{where}.council"),
        nation=str(nation),
        sample=bool(raw.get("sample", False)),
        bank_holidays=frozenset(holidays),
        services=parsed,
        file=file,
        welsh_first=bool(raw.get("welsh_first", False)),
        staffed_by=staffed_by,
    )
