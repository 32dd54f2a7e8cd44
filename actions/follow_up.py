"""Answer a follow-up question ("what should I do?") after what was just said."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.context import catalogue, earlier_actions


class ActionAnswerFollowUp(Action):
    """Pick the reviewed answer to the follow-up from ``content/follow_ups.yml``."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_answer_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the answer for the latest intent in the context of the earlier answers."""
        follow_ups = catalogue().follow_ups
        intent = str((tracker.latest_message.get("intent") or {}).get("name"))
        if intent not in follow_ups.answers:
            return [FollowupAction("action_not_understood")]
        context = follow_ups.context_of(earlier_actions(tracker))
        answer = follow_ups.answer(intent, context)
        if answer.startswith("action_"):
            return [FollowupAction(answer)]
        dispatcher.utter_message(response=answer)
        return []
