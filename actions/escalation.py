"""Open escalations (committed before the reference is shown), record consent, link references."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.console.sessions import ConsoleSessions
from bot.safety.routes import SAFETY_SLOT, Priority, Route, Subject, route_of
from bot.storage.escalation_records import Opened
from bot.storage.escalations import EscalationStore
from bot.storage.references import parse_reference

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def escalation_store() -> EscalationStore:
    """Return the process's escalation store (``BOT_DATABASE_URL``)."""
    return EscalationStore()


@dataclass(frozen=True)
class EscalationRequest:
    """What to escalate: the safety decision recorded in the ``safety`` slot."""

    priority: Priority
    route: str
    subject: str
    indicators: tuple[str, ...]
    evidence_message_ids: tuple[str, ...]


def escalation_request(tracker: Tracker) -> EscalationRequest:
    """Return the escalation the safety policy decided on (failing towards a person).

    A concern reaches here only when the person asked for a duty worker: priority 3. With no
    decision recorded at all, the escalation opens as a disclosure (priority 2).
    """
    decision = tracker.get_slot(SAFETY_SLOT) or {}
    route = route_of(decision.get("route"))
    if route is Route.CONCERN:
        priority = Priority.CONCERN
    elif decision.get("priority") in (1, 2):
        priority = Priority(decision["priority"])
    else:
        route, priority = Route.DISCLOSURE, Priority.DISCLOSURE
    return EscalationRequest(
        priority,
        route.value,
        str(decision.get("subject") or Subject.UNKNOWN.value),
        tuple(decision.get("indicators") or ()),
        tuple(decision.get("evidence_message_ids") or ()),
    )


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


CONFIDENTIAL_ROUTES = frozenset({Route.DISCLOSURE.value, Route.SELF_HARM.value})


def confidentiality_response(subject: str) -> str:
    """Return the limits of confidentiality worded for who it is about."""
    if subject == Subject.SELF.value:
        return "utter_disclosure_confidentiality"
    return "utter_confidentiality_other"


class ActionEscalate(Action):
    """Commit an escalation, then tell the person its reference and whether anyone is on duty."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Open (or find) the conversation's escalation; show its reference only once stored.

        A conversation escalated before (same or higher priority) gets a short acknowledgement
        that the new messages were added for the duty worker.
        """
        request = escalation_request(tracker)
        latest = tracker.latest_message or {}
        try:
            escalation, opened = escalation_store().open(
                conversation_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "unknown",
                priority=request.priority,
                route=request.route,
                trigger_text=str(latest.get("text") or ""),
                trigger_message_id=latest.get("message_id"),
                subject=request.subject,
                indicators=request.indicators,
                evidence_message_ids=request.evidence_message_ids,
            )
        except Exception:
            logger.exception("could not store an escalation")
            dispatcher.utter_message(response="utter_escalation_failed")
            return []
        if opened is Opened.EXISTING:
            dispatcher.utter_message(
                response="utter_escalation_added", reference=escalation.reference
            )
            return [SlotSet("escalation_reference", escalation.reference)]
        if request.route in CONFIDENTIAL_ROUTES:
            dispatcher.utter_message(response=confidentiality_response(request.subject))
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
