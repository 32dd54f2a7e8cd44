"""What every action needs to know about a conversation to pick the right content."""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker

from bot.content.catalogue import Catalogue, cached_catalogue
from bot.content.domain_builder import SMS_OUTPUT_CHANNEL
from bot.content.schema import DEFAULT_LANGUAGE
from bot.paths import content_dir


@dataclass(frozen=True)
class ReplyContext:
    """The language, audience and channel kind ('web' or 'sms') a reply is for."""

    language: str
    audience: str | None
    channel: str


def reply_context(tracker: Tracker) -> ReplyContext:
    """Read the reply context from the tracker's slots and latest input channel."""
    channel = "sms" if tracker.get_latest_input_channel() == SMS_OUTPUT_CHANNEL else "web"
    return ReplyContext(
        language=tracker.get_slot("language") or DEFAULT_LANGUAGE,
        audience=tracker.get_slot("audience"),
        channel=channel,
    )


def catalogue() -> Catalogue:
    """Return the content catalogue, loaded once per action-server process."""
    return cached_catalogue(content_dir())


def earlier_actions(tracker: Tracker) -> list[str]:
    """Return the names of the actions run before the latest message, newest first."""
    events = list(tracker.events)
    latest_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=0)
    return [
        str(e["name"])
        for e in reversed(events[:latest_user])
        if e.get("event") == "action" and e.get("name")
    ]
