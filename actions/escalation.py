"""Open escalations (committed before the reference is shown), record consent, link references."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.console.sessions import ConsoleSessions
from bot.storage.escalations import ROUTE_PRIORITIES, EscalationStore, Priority
from bot.storage.references import parse_reference

logger = logging.getLogger(__name__)
USER_TURNS_TO_LOOK_BACK = 3


@lru_cache(maxsize=1)
def escalation_store() -> EscalationStore:
    """Return the process's escalation store (``BOT_DATABASE_URL``)."""
    return EscalationStore()


def triggering_message(tracker: Tracker) -> tuple[Priority, str, dict[str, Any]]:
    """Return priority, route and the user event whose safety route calls for escalation."""
    user_events = [e for e in reversed(tracker.events) if e.get("event") == "user"]
    for event in user_events[:USER_TURNS_TO_LOOK_BACK]:
        route = ((event.get("parse_data") or {}).get("safety") or {}).get("route")
        if route in ROUTE_PRIORITIES:
            priority = ROUTE_PRIORITIES[route]
            return priority, priority.route, event
    # asked to escalate without a recognised route: fail towards a person
    return Priority.DISCLOSURE, "disclosure", user_events[0] if user_events else {}


@lru_cache(maxsize=1)
def console_sessions() -> ConsoleSessions:
    """Return the console's sessions (``BOT_DATABASE_URL``), which know who is available."""
    return ConsoleSessions()


def duty_worker_available() -> bool:
    """Return whether a duty worker has marked themselves available in the console, and is on it.

    If that cannot be checked, say nobody is: the person is then given the 24/7 routes.
    """
    try:
        return console_sessions().someone_available()
    except Exception:
        logger.exception("could not check duty-worker availability")
        return False


class ActionEscalate(Action):
    """Commit an escalation, then tell the person its reference and whether anyone is on duty."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Open (or find) the conversation's escalation; show its reference only once stored."""
        priority, route, event = triggering_message(tracker)
        try:
            escalation, _ = escalation_store().open(
                conversation_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "unknown",
                priority=priority,
                route=route,
                trigger_text=str(event.get("text") or ""),
                trigger_message_id=event.get("message_id"),
            )
        except Exception:
            logger.exception("could not store an escalation")
            dispatcher.utter_message(response="utter_escalation_failed")
            return []
        if route == "disclosure":
            dispatcher.utter_message(response="utter_disclosure_confidentiality")
        dispatcher.utter_message(
            response="utter_escalation_reference", reference=escalation.reference
        )
        if duty_worker_available():
            dispatcher.utter_message(response="utter_duty_available")
        else:
            dispatcher.utter_message(response="utter_duty_unavailable")
        return [SlotSet("escalation_reference", escalation.reference)]


class ActionRecordConsent(Action):
    """Record whether the person wants to talk to a duty worker now."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_record_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Store yes or no on the active escalation and acknowledge it."""
        wants_to_talk = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        try:
            escalation_store().set_consent(tracker.sender_id, wants_to_talk)
        except Exception:
            logger.exception("could not record consent")
        dispatcher.utter_message(
            response="utter_consent_yes" if wants_to_talk else "utter_consent_no"
        )
        return []


class ActionLinkReference(Action):
    """Link a quoted reference to this conversation, revealing nothing about the earlier one."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_link_reference"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Record the link if the reference exists; answer the same way either way."""
        reference = parse_reference(tracker.latest_message.get("text") or "")
        if reference is None:
            dispatcher.utter_message(response="utter_reference_not_recognised")
            return []
        try:
            escalation_store().link(reference, tracker.sender_id)
        except Exception:
            logger.exception("could not link a quoted reference")
        dispatcher.utter_message(response="utter_reference_quoted")
        return []
