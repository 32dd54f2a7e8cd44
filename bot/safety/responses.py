"""What the bot does about a safety decision this turn: a fixed list of reviewed responses.

The wording fits who it is about: "I believe you, it is not your fault" is for the person it
happened to; a friend's disclosure thanks the writer and says what they can do for their friend;
a parent or carer gets parent wording; a professional or business gets the referral routes. A
decision already acted on is not repeated: a conversation escalated at priority 2 that turns
into danger gets the danger answer and a higher priority; more detail at the same priority is
added to the escalation with a short acknowledgement; the gentle check is asked once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety.assessment import Assessment
from bot.safety.routes import Priority, Route, Subject

ESCALATE = "action_escalate"
WITHDRAW = "action_withdraw_escalation"
ASK_TO_TALK = "utter_ask_talk_to_duty_worker"
DEACTIVATE_FORM = "action_deactivate_loop"
PEER_SUBJECTS = frozenset({Subject.FRIEND, Subject.OTHER_CHILD, Subject.UNKNOWN})
CARER_SUBJECTS = frozenset({Subject.OWN_CHILD, Subject.CHILD_IN_CARE})
DISCLOSURE_RESPONSES = {
    Subject.SELF: "utter_disclosure_believe",
    Subject.FRIEND: "utter_disclosure_friend",
    Subject.OTHER_CHILD: "utter_disclosure_friend",
    Subject.UNKNOWN: "utter_disclosure_friend",
    Subject.OWN_CHILD: "utter_disclosure_parent",
    Subject.CHILD_IN_CARE: "utter_disclosure_parent",
    Subject.CHILD_AT_WORK: "utter_disclosure_professional",
}
CONCERN_RESPONSES = ("utter_concern_route", "utter_concern_friend")
CHECK_RESPONSES = ("utter_check_gentle", "utter_check_safe_now")


@dataclass(frozen=True)
class DoneSoFar:
    """What the bot already did about safety in this conversation, before the latest message."""

    escalated: int | None = None  # the most urgent priority escalated so far
    checked: bool = False  # the gentle check or "are you safe?" was asked
    concern_given: bool = False  # the concern routes were given


def _first_response(assessment: Assessment) -> str:
    subject = assessment.subject
    if assessment.route is Route.DANGER:
        return "utter_danger_now" if subject is Subject.SELF else "utter_danger_now_other"
    if assessment.route is Route.SELF_HARM:
        now = assessment.priority == Priority.DANGER
        if subject is Subject.SELF:
            return "utter_self_harm_now" if now else "utter_self_harm"
        return "utter_self_harm_other_now" if now else "utter_self_harm_other"
    return DISCLOSURE_RESPONSES[subject]


def concern_response(assessment: Assessment, audience: str | None) -> str:
    """Return the concern reply: a young person about a friend, or an adult about a child."""
    young = audience in (None, "young_person") and assessment.subject in PEER_SUBJECTS
    return CONCERN_RESPONSES[1] if young else CONCERN_RESPONSES[0]


def response_plan(
    assessment: Assessment, done: DoneSoFar, latest_turn: int, audience: str | None = None
) -> list[str]:
    """Return the actions for this turn, in order (empty: the normal dialogue answers)."""
    route = assessment.route
    if assessment.withdrawn and done.escalated is not None:
        return [WITHDRAW]
    if assessment.escalates:
        priority = assessment.priority or Priority.DISCLOSURE
        if done.escalated is None or priority < done.escalated:
            return [_first_response(assessment), ESCALATE, ASK_TO_TALK]
        if latest_turn not in assessment.evidence_turns:
            return []
        if priority == Priority.DANGER:
            return [_first_response(assessment), ESCALATE]
        return [ESCALATE]
    if done.escalated is not None:
        return []
    if route is Route.CONCERN and not done.concern_given:
        return [concern_response(assessment, audience)]
    if route is Route.CHECK and not done.checked:
        return [CHECK_RESPONSES[0]]
    if route is Route.CHECK_SAFE and not done.checked:
        return [CHECK_RESPONSES[1]]
    if route is Route.LANGUAGE:
        return ["utter_language_not_supported"]
    return []
