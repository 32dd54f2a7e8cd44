"""Open escalations (committed before the reference is shown), record consent, link references."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.console.sessions import ConsoleSessions
from bot.escalation_flow import (
    FAILED_REPLIES,
    KEPT_REPLIES,
    Trigger,
    escalation_replies,
    escalation_request,
    open_escalation,
    withdrawal_replies,
)
from bot.safety.routes import ESCALATION_REFERENCE_SLOT, SAFETY_SLOT
from bot.storage.escalation_records import Opened
from bot.storage.escalations import EscalationStore
from bot.storage.references import parse_reference

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def escalation_store() -> EscalationStore:
    """Return the process's escalation store (``BOT_DATABASE_URL``)."""
    return EscalationStore()


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
        request = escalation_request(tracker.get_slot(SAFETY_SLOT))
        latest = tracker.latest_message or {}
        trigger = Trigger(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "unknown",
            text=str(latest.get("text") or ""),
            message_id=latest.get("message_id"),
        )
        try:
            escalation, opened = open_escalation(escalation_store(), request, trigger)
        except Exception:
            logger.exception("could not store an escalation")
            for reply in FAILED_REPLIES:
                dispatcher.utter_message(response=reply.response, **reply.values)
            return []
        available = opened is not Opened.EXISTING and duty_worker_available()
        for reply in escalation_replies(escalation, opened, request, available):
            dispatcher.utter_message(response=reply.response, **reply.values)
        return [SlotSet(ESCALATION_REFERENCE_SLOT, escalation.reference)]


class ActionWithdrawEscalation(Action):
    """Withdraw the escalation the person's follow-up took back ("oh wait, it's the postman")."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_withdraw_escalation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Close it if no worker can see it yet; tell the person either way."""
        try:
            replies = withdrawal_replies(escalation_store(), tracker.sender_id)
        except Exception:  # it stays with the duty team: the safe way to fail
            logger.exception("could not withdraw an escalation")
            replies = list(KEPT_REPLIES)
        for reply in replies:
            dispatcher.utter_message(response=reply.response, **reply.values)
        return []


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
