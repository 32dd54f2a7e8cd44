"""Read a Rasa conversation (its tracker events) into turns for the safety decision.

One reader serves the safety policy, which decides what the bot does, and the Rasa server's
fail-safe, which opens an escalation when the action server could not: both see the same turns
and reach the same decision. It also tells the Rasa server which earlier message a follow-up
may take back, and when an escalation the follow-ups kept goes into the queue
(``bot/safety/withdrawal.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.assessment import Assessment
from bot.safety.evidence import Turn
from bot.safety.responses import (
    CHECK_RESPONSES,
    CONCERN_RESPONSES,
    ESCALATE,
    WITHDRAW,
    DoneSoFar,
    response_plan,
)
from bot.safety.routes import SAFETY_SLOT, Priority
from bot.safety.signals import MessageSignals
from bot.safety.withdrawal import (
    TAKEN_BACK_WITHIN,
    WITHDRAWABLE,
    assess_conversation,
    raised_together,
)

SAFETY_KEY = "safety"
JOINED_KEY = "joined"  # the message read together with the one before (when that one escalated)
# where the Rasa server passes the message before to the safety net, for the joined reading
PREVIOUS_MESSAGE_KEY = "safety_previous_message"
# ... the message before (any), for the continued reading (``bot/safety/continuation.py``)
CONTINUED_KEY = "continued"
MESSAGE_BEFORE_KEY = "safety_message_before"
# ... and the conversation's language, in which a message too short to tell is read
CONVERSATION_LANGUAGE_KEY = "safety_conversation_language"
BOOKKEEPING = frozenset({"action_listen", "action_session_start", "action_extract_slots"})


@dataclass
class Conversation:
    """The person's turns, and what was done about safety before the latest one."""

    turns: list[Turn] = field(default_factory=list)
    done: DoneSoFar = field(default_factory=DoneSoFar)

    @property
    def message_ids(self) -> list[str | None]:
        """Return each turn's message id."""
        return [turn.message_id for turn in self.turns]

    def decide(self, audience: str | None) -> tuple[Assessment, list[str]]:
        """Return the safety decision for the conversation so far and this turn's actions."""
        assessment = assess_conversation(self.turns, audience)
        return assessment, response_plan(assessment, self.done, len(self.turns) - 1, audience)


def signals_of(parse_data: dict[str, Any] | None) -> MessageSignals:
    """Return the safety signals stored in a message's parse data."""
    safety = (parse_data or {}).get(SAFETY_KEY) or {}
    return MessageSignals.from_dict(safety.get("signals"))


def joined_signals_of(parse_data: dict[str, Any] | None) -> MessageSignals | None:
    """Return the joined reading stored in a message's parse data, if there is one."""
    joined = ((parse_data or {}).get(SAFETY_KEY) or {}).get(JOINED_KEY)
    return MessageSignals.from_dict(joined) if isinstance(joined, dict) else None


def continued_signals_of(parse_data: dict[str, Any] | None) -> MessageSignals | None:
    """Return the reading of a message joined to the one before it carries on, if stored."""
    continued = ((parse_data or {}).get(SAFETY_KEY) or {}).get(CONTINUED_KEY)
    return MessageSignals.from_dict(continued) if isinstance(continued, dict) else None


def message_before(tracker: DialogueStateTracker | None) -> str | None:
    """Return the text of the person's latest message in this session, if there is one."""
    for event in reversed(tracker.events if tracker is not None else []):
        if isinstance(event, (SessionStarted, Restarted)):
            return None
        if isinstance(event, UserUttered):
            return event.text
    return None


def latest_turn(events: list[Event]) -> tuple[int | None, list[str], bool]:
    """Return where the latest user message is, the actions since, and if it was decided.

    Reads backwards from the end, so it costs the length of the current turn only.
    """
    since: list[str] = []
    decided = False
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered):
            return index, since[::-1], decided
        if isinstance(event, (SessionStarted, Restarted)):
            break
        if isinstance(event, SlotSet) and event.key == SAFETY_SLOT:
            decided = True
        elif isinstance(event, ActionExecuted) and event.action_name not in BOOKKEEPING:
            since.append(event.action_name or "")
    return None, [], decided


def read_conversation(events: Iterable[Event]) -> Conversation:
    """Return the current session's turns and safety history from tracker events."""
    conversation = Conversation()
    escalated: int | None = None
    checked = concern_given = False
    last_response: str | None = None
    priority_now: int | None = None
    for event in events:
        if isinstance(event, (SessionStarted, Restarted)):
            conversation = Conversation()
            escalated, checked, concern_given, last_response = None, False, False, None
        elif isinstance(event, UserUttered):
            conversation.done = DoneSoFar(escalated, checked, concern_given)
            conversation.turns.append(
                Turn(
                    signals_of(event.parse_data),
                    event.message_id,
                    (event.intent or {}).get("name"),
                    last_response,
                    joined_signals_of(event.parse_data),
                    continued_signals_of(event.parse_data),
                )
            )
        elif isinstance(event, SlotSet) and event.key == SAFETY_SLOT:
            priority_now = (event.value or {}).get("priority") if event.value else None
        elif isinstance(event, ActionExecuted) and event.action_name not in BOOKKEEPING:
            name = event.action_name or ""
            if name.startswith("utter_"):
                last_response = name
            checked = checked or name in CHECK_RESPONSES
            concern_given = concern_given or name in CONCERN_RESPONSES
            if name == ESCALATE:
                # a concern is escalated (priority 3) only when the person asks for it
                priority = priority_now or Priority.CONCERN
                escalated = priority if escalated is None else min(escalated, priority)
            elif name == WITHDRAW:
                # taken back: an alarm raised again later ("like with his belt" / "im 12") is
                # escalated again, not thought already done (if the withdrawal came too late to
                # close it, escalating again adds to the open one)
                escalated = None
    return conversation


def latest_user_messages(tracker: DialogueStateTracker, count: int) -> list[UserUttered]:
    """Return the person's latest ``count`` messages, the newest first."""
    messages = (e for e in reversed(tracker.events) if isinstance(e, UserUttered))
    return list(islice(messages, count))


def escalated_alone(tracker: DialogueStateTracker | None) -> str | None:
    """Return the text of the messages that alone raised the escalation, if it may be taken back.

    It may when few enough messages in a row raised it (``Assessment.raised_together``), the
    last of them one of the latest ``TAKEN_BACK_WITHIN`` messages (``bot/safety/withdrawal.py``).
    """
    decision = tracker.get_slot(SAFETY_SLOT) if tracker is not None else None
    if tracker is None or not isinstance(decision, dict):
        return None
    if decision.get("route") not in {route.value for route in WITHDRAWABLE}:
        return None
    if not raised_together(decision):
        return None
    evidence = decision.get("evidence_message_ids") or []
    latest = latest_user_messages(tracker, TAKEN_BACK_WITHIN + len(evidence) - 1)[::-1]
    ids = [message.message_id for message in latest]
    if not evidence or evidence[-1] not in ids[-TAKEN_BACK_WITHIN:]:
        return None
    end = ids.index(evidence[-1]) + 1
    if end < len(evidence) or ids[end - len(evidence) : end] != list(evidence):
        return None
    return " ".join(message.text or "" for message in latest[end - len(evidence) : end])


def kept_after_follow_up(tracker: DialogueStateTracker) -> bool:
    """Return whether a follow-up kept an escalation it could take back, for good.

    That is when the latest message was read together with the ones that raised it and did not
    take it back, and it was the last message that could (``TAKEN_BACK_WITHIN``), or it added
    to the evidence. Until then the escalation waits, at most its minute.
    """
    latest = tracker.latest_message
    if latest is None or joined_signals_of(latest.parse_data) is None:
        return False
    decision = tracker.get_slot(SAFETY_SLOT)
    if not isinstance(decision, dict):
        return True
    if decision.get("withdrawn"):
        return False
    evidence = decision.get("evidence_message_ids") or []
    may_still_be_taken_back = latest_user_messages(tracker, TAKEN_BACK_WITHIN)[1:]
    return not (
        raised_together(decision)
        and any(m.message_id == evidence[-1] for m in may_still_be_taken_back)
    )
