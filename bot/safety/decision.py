"""Decide a message's safety route from reviewed patterns and the trained classifier.

Patterns are precise and reviewed; the classifier catches what no pattern foresaw. Either can
raise a route, and the most serious route wins. Routes: ``danger``, ``disclosure``,
``concern``, ``check`` (unsure: ask one gentle question) and ``none`` (question or other).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.safety.patterns import matching_routes

ROUTE_INTENTS = {
    "danger": "report_danger",
    "disclosure": "disclose_abuse",
    "concern": "express_concern",
    "check": "ambiguous_disclosure",
}
# Classifier probabilities above which a route is raised without any pattern.
THRESHOLDS = {"danger": 0.45, "disclosure": 0.40, "concern": 0.45, "check": 0.50}
# A disclosure or concern this likely to be danger is escalated as danger (priority 1).
DANGER_LEAN = 0.3
# Below every threshold but this likely a safety route: ask the gentle check question.
LEANING = 0.35
# Danger and disclosure together this likely: escalate as whichever of the two leads.
MUST_ESCALATE_COMBINED = 0.50
# A general question with no first-person words needs this much more classifier confidence.
GENERAL_QUESTION_MARGIN = 0.25
GENERAL_QUESTION = re.compile(
    r"^(what|whats|how|can|could|is|are|does|do|why|where|who|when|should|which)\b"
)
# "what should I do if my child goes missing": a question about a possibility, not a concern.
HYPOTHETICAL = re.compile(
    r"\b(what|how) (should|do|can|would|could) (i|you|we|a parent|parents)\b.*\bif\b"
)
FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|we|us|our)\b")
JUST_ASKING = re.compile(
    r"\b(just asking|asking for (school|homework|a project|an essay|work|training)|"
    r"not about me|(for|doing|writing) (a|my|our) (school )?(project|assignment|essay|leaflet|"
    r"presentation|coursework|homework|research|lesson)|project on|for (school|college|uni|work)|"
    r"hypothetically|just wondering|for the future|(it is|its) not (happening|real)|"
    r"nothing (has )?happened|nobody is \w+ing me)\b"
)
# "I'm safe now but...": what follows is not happening now.
SAFE_NOW = re.compile(r"\b(i am|we are|she is|he is|they are) (safe|ok|okay|fine) (right )?now\b")
# Something is happening now or very soon: a disclosure or concern becomes danger.
URGENT = re.compile(
    r"\b(right now|just now|at the moment|tonight|in \d+ (mins|minutes|hours|hrs)|"
    r"still (there|here|with them|with him)|waiting (outside|for (me|her|him))|"
    r"outside (my|the|her)|"
    r"downstairs|screaming|crying|shaking|dragging|dragged|wont let (me|her|him) (out|go|leave)|"
    r"will not let (me|her|him) (out|go|leave)|its my turn|cannot breathe|cant breathe|"
    r"hiding (from|in)|on (his|their|her) way|coming (to get|for) (me|her|him)|"
    r"(is|has gone|have gone|went|gone) missing|last seen|not answering|"
    r"\d+ (mins|minutes|min) ago|(outside|here|there) (again )?now)\b"
)


@dataclass(frozen=True)
class SafetyDecision:
    """The route for a message and why."""

    route: str
    reasons: list[str] = field(default_factory=list)


def is_general_question(normalised: str) -> bool:
    """Return whether the message reads as a question that is not about the writer."""
    if JUST_ASKING.search(normalised):
        return True
    return bool(GENERAL_QUESTION.match(normalised)) and not FIRST_PERSON.search(normalised)


def decide(
    normalised: str,
    scores: dict[str, float],
    patterns: list[tuple[str, str, re.Pattern[str]]],
) -> SafetyDecision:
    """Return the safety route for a normalised message.

    ``scores`` holds the classifiers' probability for each safety route
    (:func:`combined_scores`).
    """
    matches = matching_routes(normalised, patterns)
    if HYPOTHETICAL.search(normalised):
        matches = [(route, pid) for route, pid in matches if route != "concern"]
    by_pattern = {route for route, _ in matches}
    margin = GENERAL_QUESTION_MARGIN if is_general_question(normalised) else 0.0

    def classifier_says(route: str) -> bool:
        return scores.get(route, 0.0) >= THRESHOLDS[route] + margin

    reasons = [f"pattern:{pattern_id}" for _, pattern_id in matches]
    urgent = bool(URGENT.search(normalised)) and not margin and not SAFE_NOW.search(normalised)
    must_escalate = scores.get("danger", 0.0) + scores.get("disclosure", 0.0)
    for route in ("danger", "disclosure", "concern", "check"):
        if route in by_pattern:
            raised_by = []
        elif classifier_says(route):
            raised_by = [f"classifier:{route}"]
        elif route == "disclosure" and must_escalate >= MUST_ESCALATE_COMBINED + margin:
            raised_by = ["classifier:danger+disclosure"]
            if scores.get("danger", 0.0) >= scores.get("disclosure", 0.0):
                return SafetyDecision("danger", [*reasons, *raised_by])
        else:
            continue
        if route in ("disclosure", "concern") and urgent:
            return SafetyDecision("danger", [*reasons, *raised_by, "urgent"])
        if route in ("disclosure", "concern") and scores.get("danger", 0.0) >= DANGER_LEAN:
            return SafetyDecision("danger", [*reasons, *raised_by, "classifier-leans:danger"])
        return SafetyDecision(route, [*reasons, *raised_by])
    leaning = max(scores, key=scores.__getitem__, default=None)
    if leaning is not None and scores[leaning] >= LEANING and not margin:
        # the classifiers lean towards a safety route without being sure: ask, do not guess
        return SafetyDecision("check", [*reasons, f"classifier-unsure:{leaning}"])
    return SafetyDecision("none", reasons)


def combined_scores(
    route_probabilities: dict[str, float], intent_confidences: dict[str, float]
) -> dict[str, float]:
    """Merge the route classifier with Rasa's intent ranking: the higher score for each route."""
    return {
        route: max(route_probabilities.get(route, 0.0), intent_confidences.get(intent, 0.0))
        for route, intent in ROUTE_INTENTS.items()
    }
