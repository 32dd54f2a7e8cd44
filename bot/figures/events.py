"""What one anonymous figure event holds, and the names and categories the figures use.

A figure event is a count of one thing on one day (UK time), with the few attributes the
figures are broken down by: channel, language, audience, local profile, and for escalations
their priority, route, category, who it is about and whether the duty team was staffed. It
never holds text, a conversation's id, a reference, a name or a time finer than the day, so it
can outlive the 30-day purge (``bot/storage/figures.py`` keeps it).

``weight`` is +1 or -1: a conversation's language or audience is counted once, at its latest
value, by adding the new value and taking back the old one when it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import lru_cache

from bot.content.catalogue import cached_catalogue, selected_profile_id
from bot.content.service_schema import Service
from bot.paths import content_dir
from bot.services import UK_TIME, OpenStatus, open_status

NOT_KNOWN = "unknown"
# the slot action_show_help_services sets to the ids of the services it listed (counted)
SERVICES_SHOWN_SLOT = "services_shown"
logger = logging.getLogger(__name__)


class Measure(str, Enum):
    """The things counted."""

    CONVERSATION = "conversation"  # a session's first message
    CONVERSATION_LANGUAGE = "conversation_language"  # +1 new language, -1 the one before
    CONVERSATION_AUDIENCE = "conversation_audience"  # +1 new audience, -1 the one before
    TOPIC = "topic"  # a question on a topic (the intent understood)
    CHECKER = "checker"  # the warning-signs checker started
    CHECKER_SIGN = "checker_sign"  # a sign answered "yes" in the checker
    HELP_LISTING = "help_listing"  # a list of services shown
    SERVICE_SHOWN = "service_shown"  # a service in a list shown
    QUICK_EXIT = "quick_exit"
    SMS_OPT_OUT = "sms_opt_out"
    SMS_FAILED = "sms_failed"  # a text that could not be sent or was not delivered
    ESCALATION = "escalation"  # raised
    ESCALATION_CLAIMED = "escalation_claimed"  # first claimed; seconds since raised
    ESCALATION_CLOSED = "escalation_closed"  # closed; seconds since raised; item: outcome
    ESCALATION_RELEASED = "escalation_released"  # back to the queue: its worker had gone
    ESCALATION_REOPENED = "escalation_reopened"


@dataclass(frozen=True)
class FigureEvent:
    """One anonymous count (see the module's docstring); empty strings: not applicable."""

    measure: Measure
    day: date
    channel: str = ""
    language: str = ""
    audience: str = ""
    profile: str = ""
    item: str = ""
    priority: int | None = None
    route: str = ""
    subject: str = ""
    staffed: str = ""
    outcome: str = ""
    seconds: float | None = None
    weight: int = 1


def uk_day(moment: datetime) -> date:
    """Return the UK calendar day of ``moment`` (aware, any time zone)."""
    return moment.astimezone(UK_TIME).date()


class Category(str, Enum):
    """What kind of exploitation an escalation is about, as the figures group it."""

    SELF_HARM = "self_harm"
    COUNTY_LINES = "county_lines"
    MISSING = "missing"
    ONLINE = "online"
    OFFLINE = "offline"


# Indicators that place an escalation in a category, checked in this order (the first wins).
CATEGORY_INDICATORS: tuple[tuple[Category, frozenset[str]], ...] = (
    (Category.COUNTY_LINES, frozenset({"criminal_exploitation", "debt"})),
    (Category.MISSING, frozenset({"missing", "missing_now"})),
    (
        Category.ONLINE,
        frozenset(
            {
                "met_online",
                "image_abuse",
                "sextortion",
                "image_request",
                "images_sent",
                "images_spread",
                "media_sent",
                "private_contact",
            }
        ),
    ),
)


def category(route: str, indicators: Collection[str]) -> Category:
    """Return an escalation's category: self-harm by route, else by its indicators.

    Criminal exploitation (county lines) first, then going missing, then anything online;
    the rest happened in person ("offline").
    """
    if route == "self_harm":
        return Category.SELF_HARM
    for named, markers in CATEGORY_INDICATORS:
        if markers & set(indicators):
            return named
    return Category.OFFLINE


@lru_cache(maxsize=1)
def _staffing() -> tuple[Service, frozenset[date]] | None:
    """Return the deployment's duty-team service and bank holidays (None: not said)."""
    profile = cached_catalogue(content_dir()).profile(selected_profile_id())
    service = next((s for s in profile.services if s.id == profile.staffed_by), None)
    return None if service is None else (service, profile.bank_holidays)


def staffed_at(moment: datetime) -> str:
    """Return "yes" if the duty team was staffed at ``moment`` (its service open), else "no".

    The local profile names the service whose hours are the duty team's (``staffed_by``);
    without one, "unknown". It never raises: an escalation is committed with its figure, and a
    figure must never stand in an escalation's way.
    """
    try:
        staffing = _staffing()
    except Exception:
        logger.exception("the figures could not read the duty team's hours")
        return NOT_KNOWN
    if staffing is None:
        return NOT_KNOWN
    service, holidays = staffing
    status = open_status(service, moment, holidays)
    if status is OpenStatus.HOURS_UNKNOWN:
        return NOT_KNOWN
    return "yes" if status in (OpenStatus.OPEN, OpenStatus.ALWAYS_OPEN) else "no"


def profile_id() -> str:
    """Return the local profile figures are recorded under (this deployment's)."""
    return selected_profile_id()
