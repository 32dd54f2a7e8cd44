"""Who the person says they are: the ``audience`` slot, set only by an introduction.

Answers fit the audience (a young person, a parent or carer, a professional, a business), and
the safety net reads "who is it about" from it: a taxi driver's report is about a child seen at
work. So the slot must not be taken from a message that only looks like an introduction to the
intent classifier. Rasa's ``from_intent`` mappings fill a slot whatever the intent's confidence
and whatever else the message says; "o'n i mewn parti mis dwytha" came out as a business
introducing itself and turned a child's disclosure into a report of a child seen at work.

A message sets the slot when its intent is an introduction, the classifier is reasonably sure
of it, and the safety net found no harm, self-harm or urgency in it: a message that tells what
happened is read for who it is about by the safety net itself.
"""

from __future__ import annotations

from typing import Any

from bot.safety.conversation import signals_of
from bot.safety.indicators import Kind
from bot.safety.routes import ESCALATING_ROUTES

AUDIENCE_SLOT = "audience"
AUDIENCE_BY_INTENT = {
    "identify_young_person": "young_person",
    "identify_parent": "parent",
    "express_worry_own_child": "parent",
    "identify_professional": "professional",
    "identify_business": "business",
}
# below this an "introduction" is the classifier's guess (buttons and clear ones score ~1)
INTRODUCTION_CONFIDENCE = 0.6
# a message the route classifier reads as escalating is telling something, not introducing
TELLING_SCORE = 0.5
TELLING_KINDS = (Kind.HARM, Kind.SELF_HARM, Kind.URGENCY)


def introduced_audience(parse_data: dict[str, Any] | None) -> str | None:
    """Return the audience a message introduces the person as, or None if it is no introduction."""
    intent = (parse_data or {}).get("intent") or {}
    audience = AUDIENCE_BY_INTENT.get(str(intent.get("name")))
    if audience is None or float(intent.get("confidence") or 0.0) < INTRODUCTION_CONFIDENCE:
        return None
    signals = signals_of(parse_data)
    if any(signals.of_kind(kind) for kind in TELLING_KINDS):
        return None
    if any(signals.scores.get(route.value, 0.0) >= TELLING_SCORE for route in ESCALATING_ROUTES):
        return None
    return audience
