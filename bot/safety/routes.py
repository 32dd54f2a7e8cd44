"""The safety net's contract: its routes, who a concern is about, and the priority of each.

Every module that needs a route name takes it from here, so the set of routes is written once.
"""

from __future__ import annotations

from enum import Enum


class Route(str, Enum):
    """What the safety net decided for the conversation so far."""

    DANGER = "danger"  # harm or exploitation happening now or imminently: 999 and priority 1
    SELF_HARM = "self_harm"  # self-harm or suicide: priority 1 now, 2 otherwise
    DISCLOSURE = "disclosure"  # abuse or exploitation told: priority 2
    CONCERN = "concern"  # signs about a child: the routes; priority 3 only if they ask
    CHECK = "check"  # one weak signal: one gentle question
    CHECK_SAFE = "check_safe"  # "help me" and nothing else: are you safe right now?
    LANGUAGE = "language"  # a language the bot does not speak: an honest reply
    NONE = "none"


ESCALATING_ROUTES = frozenset({Route.DANGER, Route.SELF_HARM, Route.DISCLOSURE})
# The slot the decision is recorded in (the policy writes it; the escalation action reads it).
SAFETY_SLOT = "safety"
# The slot holding the reference of the conversation's escalation (``action_escalate`` sets it).
ESCALATION_REFERENCE_SLOT = "escalation_reference"


class Subject(str, Enum):
    """Who the harm or concern is about."""

    SELF = "self"
    FRIEND = "friend"
    OWN_CHILD = "own_child"
    CHILD_IN_CARE = "child_in_care"
    CHILD_AT_WORK = "child_at_work"
    OTHER_CHILD = "other_child"
    UNKNOWN = "unknown"


SUBJECT_LABELS = {
    Subject.SELF: "the person writing",
    Subject.FRIEND: "a friend of theirs",
    Subject.OWN_CHILD: "their own child",
    Subject.CHILD_IN_CARE: "a child in their care",
    Subject.CHILD_AT_WORK: "a child they saw at work",
    Subject.OTHER_CHILD: "another child they know",
    Subject.UNKNOWN: "not clear",
}


def subject_label(value: str) -> str:
    """Return how the console says who an escalation is about."""
    try:
        return SUBJECT_LABELS[Subject(value)]
    except ValueError:
        return SUBJECT_LABELS[Subject.UNKNOWN]


class Priority(int, Enum):
    """How urgent an escalation is: 1 is the most urgent."""

    DANGER = 1
    DISCLOSURE = 2
    CONCERN = 3


ROUTE_LABELS = {
    Route.DANGER: "Danger now",
    Route.SELF_HARM: "Self-harm or suicide",
    Route.DISCLOSURE: "Disclosure",
    Route.CONCERN: "Concern",
}


def route_of(value: str | None) -> Route:
    """Return the route named ``value`` (``none`` for anything unknown)."""
    try:
        return Route(value)
    except ValueError:
        return Route.NONE
