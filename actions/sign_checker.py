"""Summarise the parents' warning-sign checker: which signs were noticed, never a score."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import catalogue, reply_context

CHECKER_FORM = "warning_sign_checker_form"
SIGN_LABELS = {
    "sign_missing": "label_sign_missing",
    "sign_gifts": "label_sign_gifts",
    "sign_older_friends": "label_sign_older_friends",
    "sign_substances": "label_sign_substances",
    "sign_phone": "label_sign_phone",
    "sign_mood": "label_sign_mood",
    "sign_school": "label_sign_school",
    "sign_sexual_health": "label_sign_sexual_health",
}
LIST_SEPARATOR = {"web": "\n- ", "sms": "; "}


def noticed_signs(tracker: Tracker) -> list[str]:
    """Return the signs answered 'yes', in the order the form asks them."""
    return [sign for sign in SIGN_LABELS if tracker.get_slot(sign) == "yes"]


class ActionSummariseSignChecker(Action):
    """Send the reviewed summary for the answers given, then clear them for a fresh start."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_summarise_sign_checker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """List the noticed signs by their reviewed labels and say what to do."""
        context = reply_context(tracker)
        if (tracker.latest_message.get("intent") or {}).get("name") == "stop":
            dispatcher.utter_message(response="utter_checker_stopped")
        noticed = noticed_signs(tracker)
        if noticed:
            labels = [
                catalogue().text(
                    SIGN_LABELS[sign], context.language, context.audience, context.channel
                )
                for sign in noticed
            ]
            listed = LIST_SEPARATOR[context.channel].join(labels)
            dispatcher.utter_message(response="utter_checker_summary_noticed", noticed_signs=listed)
        else:
            dispatcher.utter_message(response="utter_checker_summary_none")
        dispatcher.utter_message(response="utter_checker_what_to_do")
        return [SlotSet(sign, None) for sign in SIGN_LABELS]
