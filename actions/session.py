"""Start each conversation; say so when the content has not all been reviewed yet.

A conversation started on the Welsh web chat page starts in Welsh (the page's language comes
with the message that starts the session), as does every conversation of a council whose
profile says ``welsh_first``; the first message in English (or the "English" button) switches
it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import catalogue
from bot.content.reviews import ReviewState, review_states

SESSION_METADATA_SLOT = "session_started_metadata"  # Rasa's: the metadata of the first message


@lru_cache(maxsize=1)
def running_draft_content() -> bool:
    """Return whether anything shipped with this deployment's profile is not reviewed as it is."""
    cat = catalogue()
    states = review_states(cat, cat.profile())
    return any(state is not ReviewState.REVIEWED for state in states.values())


class ActionSessionStart(Action):
    """Start a session with no carried-over slots, showing the draft notice where it applies."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Open the session (in Welsh first where the profile says); note draft content."""
        events: list[EventType] = [SessionStarted()]
        metadata = tracker.get_slot(SESSION_METADATA_SLOT)
        page = metadata.get("language") if isinstance(metadata, dict) else None
        if page == "cy" or (page is None and catalogue().profile().welsh_first):
            events.append(SlotSet("language", "cy"))
        if running_draft_content():
            dispatcher.utter_message(response="utter_draft_content_notice")
        return [*events, ActionExecuted("action_listen")]
