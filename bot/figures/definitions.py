"""What each figure counts, how it is split and labelled, and its one-line definition.

The Figures page, the report and the CSV show each table's definition beside it, answering the
councillors' first question: "what data do we collect?".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.figures.events import NOT_KNOWN, Category, FigureEvent, Measure
from bot.safety.routes import ROUTE_LABELS, SUBJECT_LABELS, Subject
from bot.storage.escalation_records import OUTCOMES, WITHDRAWN

CHANNELS = {"webchat": "Web chat", "sms": "Text message (SMS)", "rest": "Other (REST API)"}
LANGUAGES = {"en": "English", "cy": "Welsh (Cymraeg)"}
AUDIENCES = {
    "young_person": "Young person",
    "parent": "Parent or carer",
    "professional": "Professional",
    "business": "Local business",
    NOT_KNOWN: "Not said",
}
PRIORITIES = {"1": "Priority 1 (danger now)", "2": "Priority 2", "3": "Priority 3"}
ROUTES = {route.value: label for route, label in ROUTE_LABELS.items()}
CATEGORIES = {
    Category.ONLINE.value: "Online exploitation",
    Category.OFFLINE.value: "In person (offline)",
    Category.COUNTY_LINES.value: "County lines or criminal exploitation",
    Category.MISSING.value: "Going missing",
    Category.SELF_HARM.value: "Self-harm or suicide",
}
SUBJECTS = {subject.value: label.capitalize() for subject, label in SUBJECT_LABELS.items()}
STAFFED = {"yes": "In staffed hours", "no": "Out of hours", NOT_KNOWN: "Not known"}
CLOSE_OUTCOMES = {**OUTCOMES, WITHDRAWN: "Taken back by the person's next message"}
ACTIVITY = {
    Measure.QUICK_EXIT.value: "Left by quick exit",
    Measure.SMS_OPT_OUT.value: "Texters who opted out (STOP)",
    Measure.SMS_FAILED.value: "Texts not sent or not delivered",
}
ESCALATION_CHANGES = {
    Measure.ESCALATION_RELEASED.value: "Put back in the queue: its worker had gone",
    Measure.ESCALATION_REOPENED.value: "Reopened after being closed",
}
Key = Callable[[FigureEvent], str]


@dataclass(frozen=True)
class Spec:
    """How one table is counted: which events, split by what, labelled how."""

    key: str
    section: str
    title: str
    definition: str
    measures: tuple[Measure, ...]
    split: Key
    labels: dict[str, str] = field(default_factory=dict)  # known rows, in order, even at 0
    total: bool = False  # the rows split a whole: show it (and protect it)


def priority_of(event: FigureEvent) -> str:
    """Return an escalation event's priority as a row key ("1", "2", "3")."""
    return str(event.priority)


def label_of(raw: str) -> str:
    """Return a readable label for an unlisted value (an intent, a sign)."""
    text = raw.removeprefix("ask_").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Not known"


SPECS: tuple[Spec, ...] = (
    Spec(
        "conversations_channel",
        "Conversations",
        "Conversations by channel",
        "Conversations that began in the period (a conversation ends after an hour without a "
        "message), by how the person wrote.",
        (Measure.CONVERSATION,),
        lambda e: e.channel,
        CHANNELS,
        total=True,
    ),
    Spec(
        "conversations_language",
        "Conversations",
        "Conversations by language",
        "The same conversations, by the language each was in at its last message.",
        (Measure.CONVERSATION_LANGUAGE,),
        lambda e: e.language,
        LANGUAGES,
        total=True,
    ),
    Spec(
        "conversations_audience",
        "Conversations",
        "Who was asking",
        "The same conversations, by who the person said they were; most people do not say, "
        "and are counted as not said.",
        (Measure.CONVERSATION_AUDIENCE,),
        lambda e: e.audience,
        AUDIENCES,
        total=True,
    ),
    Spec(
        "conversations_profile",
        "Conversations",
        "Conversations by council",
        "The same conversations, by the council's local profile they were served with.",
        (Measure.CONVERSATION,),
        lambda e: e.profile,
        total=True,
    ),
    Spec(
        "topics",
        "What people asked",
        "Topics asked about",
        "Questions the assistant understood as being on each topic (a conversation can ask "
        "several, so there is no total).",
        (Measure.TOPIC,),
        lambda e: e.item,
    ),
    Spec(
        "checker",
        "What people asked",
        "Warning-signs checker",
        'Times the warning-signs checker was started, and each sign answered "yes" in it '
        "(counts only: no answers are kept).",
        (Measure.CHECKER, Measure.CHECKER_SIGN),
        lambda e: "started" if e.measure is Measure.CHECKER else e.item,
        {"started": "Checker started"},
    ),
    Spec(
        "services",
        "What people asked",
        "Services shown",
        "Lists of services shown, and how often each service was in a list.",
        (Measure.HELP_LISTING, Measure.SERVICE_SHOWN),
        lambda e: "lists" if e.measure is Measure.HELP_LISTING else e.item,
        {"lists": "Lists of services shown"},
    ),
    Spec(
        "activity",
        "What people asked",
        "Leaving, opting out and failed texts",
        "People who left a web chat by quick exit (once per conversation), texters who sent "
        "STOP, and texts that could not be sent or were not delivered.",
        (Measure.QUICK_EXIT, Measure.SMS_OPT_OUT, Measure.SMS_FAILED),
        lambda e: e.measure.value,
        ACTIVITY,
    ),
    Spec(
        "escalations_priority",
        "Escalations",
        "Escalations by priority",
        "Escalations to the duty team raised in the period, by priority when raised "
        "(1: danger now; 2: a disclosure; 3: a concern the person asked to pass on).",
        (Measure.ESCALATION,),
        priority_of,
        PRIORITIES,
        total=True,
    ),
    Spec(
        "escalations_route",
        "Escalations",
        "Escalations by what was recognised",
        "The same escalations, by what the safety net recognised.",
        (Measure.ESCALATION,),
        lambda e: e.route,
        ROUTES,
        total=True,
    ),
    Spec(
        "escalations_category",
        "Escalations",
        "Escalations by kind of exploitation",
        "The same escalations: self-harm by route; otherwise county lines or criminal "
        "exploitation, then going missing, then online, by the warning signs recognised; "
        "the rest in person.",
        (Measure.ESCALATION,),
        lambda e: e.item,
        CATEGORIES,
        total=True,
    ),
    Spec(
        "escalations_subject",
        "Escalations",
        "Who the escalation was about",
        "The same escalations, by who the person said it was about.",
        (Measure.ESCALATION,),
        lambda e: e.subject,
        {s.value: SUBJECTS[s.value] for s in Subject},
        total=True,
    ),
    Spec(
        "escalations_staffed",
        "Escalations",
        "Raised in or out of staffed hours",
        "The same escalations, by whether the duty team was staffed when each was raised "
        "(the hours of the service the local profile names as the duty team's).",
        (Measure.ESCALATION,),
        lambda e: e.staffed,
        STAFFED,
        total=True,
    ),
    Spec(
        "escalations_outcome",
        "Escalations",
        "How escalations were closed",
        "Escalations closed in the period (whenever raised), by outcome; a false alarm is one "
        "a duty worker found was not a safeguarding concern.",
        (Measure.ESCALATION_CLOSED,),
        lambda e: e.outcome,
        CLOSE_OUTCOMES,
        total=True,
    ),
    Spec(
        "escalations_changes",
        "Escalations",
        "Handed back and reopened",
        "Claimed escalations the console put back in the queue because the worker holding "
        "them signed out, went idle or was disabled (the bot answered again and the person was "
        "told), and closed escalations reopened.",
        (Measure.ESCALATION_RELEASED, Measure.ESCALATION_REOPENED),
        lambda e: e.measure.value,
        ESCALATION_CHANGES,
    ),
)
