"""Which services to show, whether each is open now (UK time, bank holidays), and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from bot.content.schema import ANY_AUDIENCE
from bot.content.service_schema import SMS_CONTACT_TYPES, Service

UK_TIME = ZoneInfo("Europe/London")


class OpenStatus(str, Enum):
    """Whether a service can be reached at a moment; the value names its content template."""

    ALWAYS_OPEN = "always_open"
    OPEN = "open"
    CLOSED = "closed"
    HOURS_UNKNOWN = "hours_unknown"


STATUS_ORDER = {
    OpenStatus.ALWAYS_OPEN: 0,
    OpenStatus.OPEN: 1,
    OpenStatus.HOURS_UNKNOWN: 2,
    OpenStatus.CLOSED: 3,
}


def uk_now() -> datetime:
    """Return the current time in the UK."""
    return datetime.now(UK_TIME)


def _weekday_for(day: date, bank_holidays: frozenset[date], rule: str) -> int | None:
    """Return which weekday's hours apply on ``day`` (None when closed all day)."""
    if day in bank_holidays:
        if rule == "closed":
            return None
        if rule == "as_sunday":
            return 6
    return day.weekday()


def open_status(service: Service, when: datetime, bank_holidays: frozenset[date]) -> OpenStatus:
    """Return whether ``service`` is open at ``when`` (any timezone; judged in UK time)."""
    if service.always_open:
        return OpenStatus.ALWAYS_OPEN
    if not service.hours_known:
        return OpenStatus.HOURS_UNKNOWN
    local = when.astimezone(UK_TIME)
    minute_of_day = local.hour * 60 + local.minute
    for days_back in (0, 1):
        day = local.date() - timedelta(days=days_back)
        weekday = _weekday_for(day, bank_holidays, service.bank_holidays)
        if weekday is None:
            continue
        for slot in service.hours:
            if weekday not in slot.days:
                continue
            opens = slot.opens.hour * 60 + slot.opens.minute
            closes = (
                slot.closes_minutes if slot.closes_minutes > opens else slot.closes_minutes + 1440
            )
            # minutes since the start of ``day``: today's, or yesterday's slot running past midnight
            minute = minute_of_day + days_back * 1440
            if opens <= minute < closes:
                return OpenStatus.OPEN
    return OpenStatus.CLOSED


@dataclass(frozen=True)
class ListedService:
    """A service as shown in a help listing, with its status at the time of listing."""

    service: Service
    status: OpenStatus


def services_for_audience(services: list[Service], audience: str | None) -> list[Service]:
    """Return the services meant for ``audience`` (unknown audience: those marked ``any``)."""
    wanted = audience or ANY_AUDIENCE
    return [s for s in services if wanted in s.audiences or s.emergency]


# What each audience most often needs when the conversation has not said (unknown: talk).
USUAL_NEED = {
    "young_person": "talk",
    "parent": "adult_worried",
    "professional": "report",
    "business": "report",
}


def help_listing(
    services: list[Service],
    audience: str | None,
    when: datetime,
    bank_holidays: frozenset[date],
    need: str | None = None,
) -> list[ListedService]:
    """Return the services to show, most useful first.

    999 comes first; then services open now before closed ones; among those, services for the
    ``need`` (what the conversation is about, or what the audience usually needs) first, then
    services meant for this audience by name (not only through ``any``, so a business is not
    offered young people's lines first), then 24/7 before open now before unknown hours.
    """
    need = need or USUAL_NEED.get(audience or "", "talk")
    listed = [
        ListedService(s, open_status(s, when, bank_holidays))
        for s in services_for_audience(services, audience)
    ]

    def rank(entry: ListedService) -> tuple[bool, bool, bool, bool, int]:
        service = entry.service
        return (
            not service.emergency,
            entry.status is OpenStatus.CLOSED,
            need not in service.needs,
            audience is not None and audience not in service.audiences,
            STATUS_ORDER[entry.status],
        )

    return sorted(listed, key=rank)


def contacts_for_channel(service: Service, channel: str, language: str) -> list[str]:
    """Return the reviewed contact lines that work on ``channel`` (SMS: calls and texts first)."""
    contacts = list(service.contacts)
    if channel == "sms":
        reachable = [c for c in contacts if c.type in SMS_CONTACT_TYPES]
        contacts = reachable or contacts[:1]
    return [c.display.get(language, c.display["en"]) for c in contacts]
