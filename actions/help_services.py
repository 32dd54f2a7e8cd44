"""List where to get help in one message: 999, then the services that fit the person and need.

The short listing shows the first few services (most useful first: see ``help_listing``) with a
quick reply for the rest; "more services" shows them all. Each entry says who the service is
for, how to reach it on this channel and whether it is open now.

When the bot knows neither who is asking nor what it is about, the help finder asks first: "is
anyone in danger right now?" (999 is in the question itself), then what kind of help; the
answer picks the need the listing puts first.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import ReplyContext, catalogue, earlier_actions, reply_context
from bot.content.catalogue import Catalogue
from bot.figures.events import SERVICES_SHOWN_SLOT
from bot.services import ListedService, OpenStatus, contacts_for_channel, help_listing, uk_now

ENTRY_TEMPLATES = {
    OpenStatus.ALWAYS_OPEN: "label_service_entry_always_open",
    OpenStatus.OPEN: "label_service_entry_open",
    OpenStatus.CLOSED: "label_service_entry_closed",
    OpenStatus.HOURS_UNKNOWN: "label_service_entry_hours_unknown",
}
# The short listing: 999 and this many more.
SHORT_LISTING_SIZE = 3
MORE_SERVICES_INTENT = "ask_more_services"
ASK_FOR_HELP_INTENT = "ask_help_services"
FINDER_QUESTION = "utter_help_finder_danger"
# The help finder's answers (content/responses/help_finder.yml) and the need each stands for.
FINDER_NEEDS = {
    "find_help_talk": "talk",
    "find_help_report": "report",
    "find_help_image_removal": "image_removal",
    "find_help_after_assault": "after_assault",
    "find_help_friend": "talk",
}


def entry_text(content: Catalogue, entry: ListedService, context: ReplyContext) -> str:
    """Return one service's entry, filled from its reviewed record."""
    service, lang = entry.service, context.language
    marker = (
        " " + content.text("label_sample_marker", lang, context.audience, context.channel)
        if service.sample
        else ""
    )
    template = content.text(ENTRY_TEMPLATES[entry.status], lang, context.audience, context.channel)
    return template.format(
        name=service.name.get(lang, service.name["en"]),
        purpose=service.purpose.get(lang, service.purpose["en"]),
        contacts="\n".join(contacts_for_channel(service, context.channel, lang)),
        hours=service.hours_text.get(lang, service.hours_text["en"]),
        sample_marker=marker,
    )


class ActionShowHelpServices(Action):
    """Send the help listing for this person, channel and conversation, as one message."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_show_help_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Dispatch the short listing (or all of it, when asked for more), or the finder."""
        context = reply_context(tracker)
        content = catalogue()
        profile = content.profile()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        earlier = content.follow_ups.context_of(earlier_actions(tracker))
        if intent == ASK_FOR_HELP_INTENT and context.audience is None and earlier is None:
            return [FollowupAction(FINDER_QUESTION)]
        need = FINDER_NEEDS.get(str(intent)) or (earlier.need if earlier else None)
        listing = help_listing(
            content.services_for_profile(profile),
            context.audience,
            uk_now(),
            profile.bank_holidays,
            need=need,
        )
        wants_all = intent == MORE_SERVICES_INTENT
        shown = listing if wants_all else listing[: SHORT_LISTING_SIZE + 1]
        closed_note = ""
        if any(entry.status is OpenStatus.CLOSED for entry in shown):
            closed_note = " " + content.text(
                "label_help_some_closed", context.language, context.audience, context.channel
            )
        dispatcher.utter_message(
            response="utter_help_listing_all"
            if len(shown) == len(listing)
            else "utter_help_listing_short",
            entries="\n\n".join(entry_text(content, entry, context) for entry in shown),
            closed_note=closed_note,
        )
        return [SlotSet(SERVICES_SHOWN_SLOT, [entry.service.id for entry in shown])]
