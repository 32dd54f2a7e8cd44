"""List where to get help: who each service is for, how to reach it here, and if it is open now."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.context import catalogue, reply_context
from bot.services import OpenStatus, contacts_for_channel, help_listing, uk_now

ENTRY_RESPONSES = {
    OpenStatus.ALWAYS_OPEN: "utter_service_entry_always_open",
    OpenStatus.OPEN: "utter_service_entry_open",
    OpenStatus.CLOSED: "utter_service_entry_closed",
    OpenStatus.HOURS_UNKNOWN: "utter_service_entry_hours_unknown",
}


class ActionShowHelpServices(Action):
    """Send one entry per service, open ones first, from the reviewed service records."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_show_help_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Dispatch the help intro and an entry template per listed service."""
        context = reply_context(tracker)
        content = catalogue()
        profile = content.profile()
        listing = help_listing(
            content.services_for_profile(profile), context.audience, uk_now(), profile.bank_holidays
        )
        dispatcher.utter_message(response="utter_help_intro")
        if any(entry.status is OpenStatus.CLOSED for entry in listing):
            dispatcher.utter_message(response="utter_help_some_closed")
        lang = context.language
        for entry in listing:
            service = entry.service
            marker = (
                " " + content.text("label_sample_marker", lang, context.audience, context.channel)
                if service.sample
                else ""
            )
            dispatcher.utter_message(
                response=ENTRY_RESPONSES[entry.status],
                name=service.name.get(lang, service.name["en"]),
                purpose=service.purpose.get(lang, service.purpose["en"]),
                contacts="\n".join(contacts_for_channel(service, context.channel, lang)),
                hours=service.hours_text.get(lang, service.hours_text["en"]),
                sample_marker=marker,
            )
        return []
