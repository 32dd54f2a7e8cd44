"""Opening an escalation and what the person is told: one path for every place that does it.

The escalation action (``actions/escalation.py``), the Rasa server's answer when the action
server is down (``bot/action_fallback.py``) and the fail-safe that opens a missed escalation
before a turn is saved (``bot/rasa_server.py``) all open escalations here, from the safety
decision recorded in the ``safety`` slot, so they store the same things. The reference is shown
only after :func:`open_escalation` has committed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.safety.routes import Priority, Route, Subject, route_of
from bot.safety.withdrawal import WITHDRAWABLE, raised_together
from bot.storage.escalation_records import Escalation, Opened
from bot.storage.escalations import EscalationStore


@lru_cache(maxsize=1)
def escalation_store() -> EscalationStore:
    """Return the Rasa process's escalation store (``BOT_DATABASE_URL``), made once."""
    return EscalationStore()


CONFIDENTIAL_ROUTES = frozenset({Route.DISCLOSURE.value, Route.SELF_HARM.value})
# Self-harm being done, not only spoken of: pills taken, a cut, an injury
SELF_HARM_BEING_DONE = frozenset({"overdose", "self_harm", "injury"})


@dataclass(frozen=True)
class Reply:
    """A reviewed response to send, by id, with the reference it names (if any)."""

    response: str
    reference: str | None = None

    @property
    def values(self) -> dict[str, Any]:
        """Return the values the response's wording is filled with."""
        return {"reference": self.reference} if self.reference else {}

    def as_rasa_response(self) -> dict[str, Any]:
        """Return the reply as an action server returns it to Rasa."""
        return {"response": self.response, **self.values}


FAILED_REPLIES = (Reply("utter_escalation_failed"),)
KEPT_REPLIES = (Reply("utter_escalation_kept"),)


@dataclass(frozen=True)
class EscalationRequest:
    """What to escalate: the safety decision recorded in the ``safety`` slot."""

    priority: Priority
    route: str
    subject: str
    indicators: tuple[str, ...]
    evidence_message_ids: tuple[str, ...]
    raised_together: bool = False  # by few enough messages in a row for a follow-up to take back


@dataclass(frozen=True)
class Trigger:
    """The message an escalation is opened for, and where the conversation is."""

    conversation_id: str
    channel: str
    text: str
    message_id: str | None


def escalation_request(decision: dict[str, Any] | None) -> EscalationRequest:
    """Return the escalation a safety decision calls for (failing towards a person).

    A concern reaches here only when the person asked for a duty worker: priority 3. With no
    decision recorded at all, the escalation opens as a disclosure (priority 2).
    """
    decision = decision or {}
    route = route_of(decision.get("route"))
    if route is Route.CONCERN:
        priority = Priority.CONCERN
    elif decision.get("priority") in (1, 2):
        priority = Priority(decision["priority"])
    else:
        route, priority = Route.DISCLOSURE, Priority.DISCLOSURE
    return EscalationRequest(
        priority,
        route.value,
        str(decision.get("subject") or Subject.UNKNOWN.value),
        tuple(decision.get("indicators") or ()),
        tuple(decision.get("evidence_message_ids") or ()),
        raised_together(decision),
    )


def open_escalation(
    store: EscalationStore, request: EscalationRequest, trigger: Trigger
) -> tuple[Escalation, Opened]:
    """Commit the escalation (or find the conversation's open one); return it and how.

    A danger, disclosure or self-harm raised by the trigger message, alone or with the one before
    (``RAISED_TOGETHER``), can still be taken back by the next message
    (``bot/safety/withdrawal.py``), so it waits a minute before it is queued
    (:func:`waits_for_follow_up`).
    """
    alone = (
        bool(trigger.message_id)
        and request.raised_together
        and request.evidence_message_ids[-1:] == (trigger.message_id,)
    )
    return store.open(
        conversation_id=trigger.conversation_id,
        channel=trigger.channel,
        priority=request.priority,
        route=request.route,
        trigger_text=trigger.text,
        trigger_message_id=trigger.message_id,
        subject=request.subject,
        indicators=request.indicators,
        evidence_message_ids=request.evidence_message_ids,
        withdrawable=alone and waits_for_follow_up(request),
    )


def waits_for_follow_up(request: EscalationRequest) -> bool:
    """Return whether an escalation the next message may take back waits for that follow-up.

    Self-harm being done now ("I just took 20 pills", "I cut too deep") never waits: it is
    queued at once, and a follow-up that says it was a figure of speech is told it stays with
    the duty team. Words of wanting to die, with nothing done yet, wait like danger does: the
    person has the urgent routes at once, and "i want to die" / "of embarrassment" is taken back
    before it alarms the duty team.
    """
    route = route_of(request.route)
    if route is Route.SELF_HARM and request.priority == Priority.DANGER:
        return not SELF_HARM_BEING_DONE & set(request.indicators)
    return route in WITHDRAWABLE


def withdrawal_replies(store: EscalationStore, conversation_id: str) -> list[Reply]:
    """Withdraw the escalation the person's follow-up took back, if no worker can see it yet.

    Either way the person is told what happened to it: closed, or already with the duty team.
    """
    withdrawn = store.withdraw(conversation_id)
    if withdrawn is not None:
        return [Reply("utter_escalation_withdrawn", withdrawn.reference)]
    return list(KEPT_REPLIES)


def confidentiality_response(subject: str) -> str:
    """Return the limits of confidentiality worded for who it is about."""
    if subject == Subject.SELF.value:
        return "utter_disclosure_confidentiality"
    return "utter_confidentiality_other"


def escalation_replies(
    escalation: Escalation, opened: Opened, request: EscalationRequest, duty_available: bool
) -> list[Reply]:
    """Return the reviewed responses telling the person their (committed) reference.

    A conversation escalated before gets a short acknowledgement that the new messages were
    added for the duty worker.
    """
    reference = escalation.reference
    if opened is Opened.EXISTING:
        return [Reply("utter_escalation_added", reference)]
    replies = []
    if request.route in CONFIDENTIAL_ROUTES:
        replies.append(Reply(confidentiality_response(request.subject)))
    replies.append(Reply("utter_escalation_reference", reference))
    replies.append(Reply("utter_duty_available" if duty_available else "utter_duty_unavailable"))
    return replies
