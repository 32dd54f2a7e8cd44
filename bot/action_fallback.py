"""When the action server is down, slow or failing, the Rasa server answers by itself.

Rasa logs a failed custom action and carries on, so a person could be told nothing at all: the
first message of a conversation got an empty reply when ``action_session_start`` failed. Every
custom action call is given ``ACTION_TIMEOUT_SECONDS``; if it fails or takes longer, the Rasa
server does, with reviewed words only:

- ``action_session_start``: starts the session (as Rasa's default does);
- ``action_escalate``: commits the escalation itself (``bot/escalation_flow.py``, the same path
  the action takes), then tells the person its reference, or the urgent routes if even that
  fails;
- any other action: says something went wrong, with the urgent routes
  (``utter_action_unavailable``).

The danger and disclosure wording itself is made of responses the Rasa server sends without
the action server, so it is never lost.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.console.sessions import ConsoleSessions
from bot.escalation_flow import (
    FAILED_REPLIES,
    Reply,
    Trigger,
    escalation_replies,
    escalation_request,
    escalation_store,
    open_escalation,
)
from bot.safety.routes import ESCALATION_REFERENCE_SLOT, SAFETY_SLOT
from bot.storage.escalation_records import Opened

logger = logging.getLogger(__name__)
ACTION_TIMEOUT_SECONDS = 10.0
ESCALATE_ACTION = "action_escalate"
UNAVAILABLE_REPLIES = (Reply("utter_action_unavailable"),)
_rasa_remote_run = RemoteAction.run


@lru_cache(maxsize=1)
def console_sessions() -> ConsoleSessions:
    """Return the console's sessions (who is available), built once per process."""
    return ConsoleSessions()


def escalate_here(tracker: DialogueStateTracker) -> tuple[list[Reply], list[Event]]:
    """Commit the escalation the safety decision calls for; return the replies and events."""
    latest = tracker.latest_message
    trigger = Trigger(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        text=(latest.text if latest else "") or "",
        message_id=latest.message_id if latest else None,
    )
    request = escalation_request(tracker.get_slot(SAFETY_SLOT))
    try:
        escalation, opened = open_escalation(escalation_store(), request, trigger)
    except Exception:
        logger.exception("could not store an escalation for %s", tracker.sender_id)
        return list(FAILED_REPLIES), []
    try:
        available = opened is not Opened.EXISTING and console_sessions().someone_available()
    except Exception:  # if that cannot be checked, give the 24/7 routes
        available = False
    replies = escalation_replies(escalation, opened, request, available)
    return replies, [SlotSet(ESCALATION_REFERENCE_SLOT, escalation.reference)]


async def answer_without_action_server(
    action: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
) -> list[Event]:
    """Return what the Rasa server does in place of a custom action that failed."""
    name = action.name()
    if name == ACTION_SESSION_START_NAME:
        return [SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]
    if name == ESCALATE_ACTION:
        replies, events = await asyncio.to_thread(escalate_here, tracker)
    else:
        replies, events = list(UNAVAILABLE_REPLIES), []
    responses = [reply.as_rasa_response() for reply in replies]
    uttered = await action._utter_responses(responses, output_channel, nlg, tracker)
    return [*uttered, *events]


async def run_or_answer_here(
    self: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    """Run the custom action on the action server; if that fails, answer here instead."""
    try:
        return await asyncio.wait_for(
            _rasa_remote_run(self, output_channel, nlg, tracker, domain), ACTION_TIMEOUT_SECONDS
        )
    except ActionExecutionRejection:
        raise  # a form's "not this slot": Rasa handles it
    except Exception:
        logger.exception("custom action %s failed: the Rasa server answers instead", self.name())
    return await answer_without_action_server(self, output_channel, nlg, tracker)
