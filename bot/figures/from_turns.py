"""The figure events a turn's new events stand for: conversations, topics, checker, help lists.

The tracker store calls :func:`turn_figures` with the events it is about to save, once per
event, so a turn is counted once however often the tracker is saved. A conversation is a
session: it is counted at its first message, with its channel, and its language and audience
are counted at their latest value (+1 for the new, -1 for the old when either changes), on
the day it began, so each conversation is in exactly one language and one audience row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone

from rasa.shared.core.events import ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.audience import AUDIENCE_SLOT
from bot.channels.conversation_language import LANGUAGE_SLOT
from bot.figures.events import NOT_KNOWN, SERVICES_SHOWN_SLOT, FigureEvent, Measure, uk_day

CHECKER_FORM = "warning_sign_checker_form"
SIGN_SLOT_PREFIX = "sign_"
# the intents that are a question on a topic (the rest: greetings, answers, choices)
TOPIC_PREFIXES = ("ask_", "find_help_", "express_worry")
DEFAULT_LANGUAGE = "en"


def _moment(event: Event) -> datetime:
    return datetime.fromtimestamp(event.timestamp, timezone.utc)


def _session_split(events: Sequence[Event], start: int) -> tuple[Sequence[Event], Sequence[Event]]:
    """Return the current session's events before index ``start``, and from it on."""
    begin = max((i for i, e in enumerate(events) if isinstance(e, SessionStarted)), default=-1)
    first = begin + 1
    return events[first:start], events[max(first, start) :]


def _slot_value(events: Sequence[Event], slot: str, default: str) -> str:
    """Return the latest value ``events`` set ``slot`` to (``default`` if none or empty)."""
    for event in reversed(events):
        if isinstance(event, SlotSet) and event.key == slot:
            return str(event.value) if event.value else default
    return default


def turn_figures(
    tracker: DialogueStateTracker, new: Sequence[Event], profile: str
) -> list[FigureEvent]:
    """Return the figure events of ``new``, the tracker's events not yet saved."""
    events = list(tracker.events)
    earlier, in_session = _session_split(events, len(events) - len(new))
    channel = tracker.get_latest_input_channel() or NOT_KNOWN
    language = str(tracker.get_slot(LANGUAGE_SLOT) or DEFAULT_LANGUAGE)
    audience = str(tracker.get_slot(AUDIENCE_SLOT) or NOT_KNOWN)
    # what every figure of this turn carries, measure and day aside
    asked = FigureEvent(
        Measure.CONVERSATION,
        uk_day(datetime.now(timezone.utc)),
        channel=channel,
        language=language,
        audience=audience,
        profile=profile,
    )
    figures = _conversation(earlier, in_session, asked)
    for event in new:
        day = uk_day(_moment(event))
        if isinstance(event, UserUttered):
            intent = str(event.intent_name or "")
            if intent.startswith(TOPIC_PREFIXES):
                figures.append(replace(asked, measure=Measure.TOPIC, day=day, item=intent))
        elif isinstance(event, ActiveLoop) and event.name == CHECKER_FORM:
            figures.append(replace(asked, measure=Measure.CHECKER, day=day))
        elif isinstance(event, SlotSet) and event.key.startswith(SIGN_SLOT_PREFIX):
            if event.value == "yes":
                sign = event.key.removeprefix(SIGN_SLOT_PREFIX)
                figures.append(replace(asked, measure=Measure.CHECKER_SIGN, day=day, item=sign))
        elif isinstance(event, SlotSet) and event.key == SERVICES_SHOWN_SLOT and event.value:
            figures.append(replace(asked, measure=Measure.HELP_LISTING, day=day))
            figures.extend(
                replace(asked, measure=Measure.SERVICE_SHOWN, day=day, item=str(service))
                for service in event.value
            )
    return figures


def _conversation(
    earlier: Sequence[Event], new: Sequence[Event], asked: FigureEvent
) -> list[FigureEvent]:
    """Count a conversation at its first message; move its language and audience when changed."""
    first = next((e for e in earlier if isinstance(e, UserUttered)), None)
    if first is None:
        first = next((e for e in new if isinstance(e, UserUttered)), None)
        if first is None:
            return []
        day = uk_day(_moment(first))
        return [
            replace(asked, measure=measure, day=day)
            for measure in (
                Measure.CONVERSATION,
                Measure.CONVERSATION_LANGUAGE,
                Measure.CONVERSATION_AUDIENCE,
            )
        ]
    day = uk_day(_moment(first))
    language = replace(asked, measure=Measure.CONVERSATION_LANGUAGE, day=day)
    audience = replace(asked, measure=Measure.CONVERSATION_AUDIENCE, day=day)
    language_before = _slot_value(earlier, LANGUAGE_SLOT, DEFAULT_LANGUAGE)
    audience_before = _slot_value(earlier, AUDIENCE_SLOT, NOT_KNOWN)
    moved = []
    if language_before != language.language:
        moved += [replace(language, weight=-1, language=language_before), language]
    if audience_before != audience.audience:
        moved += [replace(audience, weight=-1, audience=audience_before), audience]
    return moved
