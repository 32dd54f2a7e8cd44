"""Answer honestly when the assistant did not understand; offer a person after two misses.

In a conversation the duty team is to read (its escalation still open), a message the assistant
cannot place ("for pics and videos", after a disclosure) is more of the person's story: it is
acknowledged as added for the duty worker, with the reference, not met with "I did not
understand".
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import escalation_store
from actions.sign_checker import CHECKER_FORM
from bot.safety.routes import ESCALATION_REFERENCE_SLOT

logger = logging.getLogger(__name__)

ACTION_NOT_UNDERSTOOD = "action_not_understood"
MISSES_BEFORE_OFFERING_A_PERSON = 2


def consecutive_misses(events: list[dict[str, Any]]) -> int:
    """Count the user turns in a row, ending with the current one, that were not understood.

    The current turn counts as a miss (this action is answering it); each earlier turn counts
    while ``action_not_understood`` answered it.
    """
    misses = 1
    actions_in_turn: list[str] = []
    user_turns = 0
    for event in reversed(events):
        if event.get("event") == "action":
            actions_in_turn.append(str(event.get("name")))
        elif event.get("event") == "user":
            user_turns += 1
            if user_turns > 1:
                if ACTION_NOT_UNDERSTOOD not in actions_in_turn:
                    break
                misses += 1
            actions_in_turn = []
    return misses


def open_reference(tracker: Tracker) -> str | None:
    """Return the reference of the conversation's escalation if the duty team still has it open.

    If the database cannot say, return None: the person then gets the honest "not understood"
    with the urgent routes, never a claim that a worker will read it.
    """
    if not tracker.get_slot(ESCALATION_REFERENCE_SLOT):
        return None
    try:
        escalation = escalation_store().active_for(tracker.sender_id)
    except Exception:
        logger.exception("could not check the conversation's escalation")
        return None
    return escalation.reference if escalation else None


class ActionNotUnderstood(Action):
    """Say the message was not understood and show the main topics and urgent help."""

    def name(self) -> str:
        """Return the action's name."""
        return ACTION_NOT_UNDERSTOOD

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Inside the checker, explain the answers (the form then asks again by itself).

        With an open escalation, say the message was added for the duty worker. Elsewhere, say
        so honestly and offer a person after two misses in a row.
        """
        if tracker.active_loop_name == CHECKER_FORM:
            dispatcher.utter_message(response="utter_checker_please_answer")
            return []
        reference = open_reference(tracker)
        if reference is not None:
            dispatcher.utter_message(response="utter_escalation_added", reference=reference)
            return [FollowupAction("action_listen")]
        dispatcher.utter_message(response="utter_not_understood")
        if consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_A_PERSON:
            dispatcher.utter_message(response="utter_offer_person")
        return [FollowupAction("action_listen")]  # never answer the same message twice
