"""Start the Rasa server with our documented fixes to Rasa 3.6 applied first.

Fix 1 (safety): Rasa turns any user text starting with ``/`` into that intent before the NLU
pipeline runs, so ``/restart`` would lift a duty worker's pause and ``/anything`` would force an
intent past the safety net. Every user message, on every channel, passes through
``MessageProcessor.handle_message``; there the leading ``/`` becomes a full-width solidus, so the
text is kept as the person typed it (for the record) but is read as words, by the safety net too.

Fix 2 (speed): Rasa validates every action-server response with ``jsonschema.validate``,
which checks
Rasa's large, constant schema against the JSON Schema meta-schema on every call; measured on
our 2-core machine that was about 90% of the cost of each custom action. The fix compiles the
validator once and validates each response exactly as before (same schema, same validator
class, same error), so a malformed action response is still rejected.

Fix 3 (never lose an escalation): the escalation is opened by ``action_escalate`` on the action
server. If that server is down or fails, Rasa logs an error and carries on, and the escalation
would be lost. Before each user turn is saved, a danger or disclosure the safety net found is
checked against the database and opened there if the action did not store it (idempotent: the
message id is the escalation's trigger): the last line of defence behind fix 6, which already
answers a failed ``action_escalate`` with a committed escalation and its reference.

Fix 4 (the bot never talks over a duty worker): Rasa's ``ConversationPaused`` is lifted by a
``restart`` intent and lost when a new session starts (after an hour's silence). While a
conversation's escalation is claimed by a duty worker, its messages are only parsed (the safety
net still runs and can raise the escalation's priority) and recorded, in the session as it is:
no session start, no prediction, no bot reply. The console (``bot/console/handoff.py``) relays
the messages to the worker. The claim is the only pause: Rasa's own ``ConversationPaused`` event
is kept as a record but no longer stops predictions, so a stray one (say, from a claim and a close
racing) can never leave a person without a bot once the claim has ended.

Fix 5 (limits): bodies capped per route, request and keep-alive timeouts, a message read up to
its limit before anything else reads it, and ``/`` answered without Rasa's version
(``bot/server_limits.py``).

Fix 6 (fail towards a person): a custom action that fails or is slow is answered by the Rasa
server itself with reviewed words: the session starts, an escalation is committed and its
reference shown, anything else gets the urgent routes (``bot/action_fallback.py``).

Fix 7 (one turn, few bubbles): Rasa sends every response as its own message, and its REST
channel splits each paragraph into another; a turn's replies are now held and sent grouped when
the turn ends, after it is saved (``bot/channels/turn_output.py``).

Fix 8 (the conversation follows the person's language): Rasa fills slots from the NLU's intents
and entities only. Right after its own slot extraction, a message the safety net is sure is in
Welsh (or English) sets the ``language`` slot, before anything is predicted, so the answer to
that very message is in its language; a message too short to tell keeps the slot, and choosing
a language by name or button (the slot's own mappings) wins.

Fix 9 (a follow-up can take back a misunderstanding): the NLU pipeline sees one message only.
When the message before raised a danger or disclosure escalation on its own, its text is passed
to the safety net with the new message (in the message's metadata, removed again before the
message is recorded), so the two are also read as one (``bot/safety/withdrawal.py``). The
conversation's language goes the same way, so that a Welsh reply too short to tell ("fi'n 14")
is read as Welsh in a Welsh conversation.

Fix 10 (scaled profile): with several workers Sanic 21.12 never replaces a worker that dies; a
supervised replacement of its ``serve_multiple`` does (``bot/server_workers.py``).

Fix 11 (speed): Rasa computes the dialogue state before every action of the session, from the
start, several times a turn, so a turn grew slower as the conversation grew. The states of the
events seen before are kept, and only new events' states computed; the rules are matched against
as many states as the longest rule has, not the whole session (``bot/dialogue_states.py``).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import rasa.core.run
import rasa.server
import sanic.app
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.action_fallback import run_or_answer_here
from bot.audience import AUDIENCE_SLOT, introduced_audience
from bot.channels.conversation_language import LANGUAGE_SLOT
from bot.channels.turn_output import TurnOutput
from bot.dialogue_states import possible_rule_keys, states_for_tracker_history
from bot.escalation_flow import Trigger, escalation_request, escalation_store, open_escalation
from bot.safety.conversation import (
    CONVERSATION_LANGUAGE_KEY,
    MESSAGE_BEFORE_KEY,
    PREVIOUS_MESSAGE_KEY,
    escalated_alone,
    kept_after_follow_up,
    message_before,
    read_conversation,
    signals_of,
)
from bot.safety.evidence import CLASSIFIER_UNSURE
from bot.safety.responses import ESCALATE
from bot.server_limits import apply_limits, readable_part, up
from bot.server_workers import serve_supervised
from bot.storage.escalation_records import Opened
from bot.storage.held_conversations import held_conversations

logger = logging.getLogger(__name__)

ACTION_RESULT_HINT = (
    ". Failed to validate Action server response from API, make sure your response "
    "from the Action endpoint is valid."
)


@lru_cache(maxsize=1)
def action_result_validator() -> Validator:
    """Return the validator for action-server responses, checked and built once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Validate an action-server response as Rasa does, without re-checking the schema."""
    error: ValidationError | None = best_match(action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += ACTION_RESULT_HINT
    raise error


FULLWIDTH_SOLIDUS = "\uff0f"
_rasa_handle_message = MessageProcessor.handle_message
_rasa_save_tracker = MessageProcessor.save_tracker
_rasa_configure_app = rasa.core.run.configure_app
_rasa_extract_slots = MessageProcessor.run_action_extract_slots
_rasa_parse_message = MessageProcessor.parse_message
SPOKEN_LANGUAGES = frozenset({"en", "cy"})
LANGUAGE_CHOICE_INTENTS = frozenset({"choose_welsh", "choose_english"})
_current_message: ContextVar[UserMessage | None] = ContextVar("current_message", default=None)
ANSWERS = frozenset({"affirm", "deny"})  # a yes or no to the gentle check can escalate


def neutralise_intent_prefix(text: str | None) -> str | None:
    """Return ``text`` with a leading ``/`` made harmless, and read up to the message limit."""
    if text and text.lstrip().startswith("/"):
        text = FULLWIDTH_SOLIDUS + text.lstrip()[1:]
    return readable_part(text) if text else text


async def handle_message_without_intent_shortcut(
    self: MessageProcessor, message: UserMessage
) -> Any:
    """Handle a user message as Rasa does, after neutralising the ``/intent`` shortcut.

    A conversation a duty worker holds only records the message (fix 4). The turn's replies go
    out grouped into one or two messages when the turn ends (``bot.channels.turn_output``).
    """
    message.text = neutralise_intent_prefix(message.text)
    token = _current_message.set(message)
    try:
        if await held_by_worker(message.sender_id):
            return await record_for_worker(self, message)
        channel = message.output_channel
        turn = TurnOutput(channel)
        message.output_channel = turn
        try:
            await _rasa_handle_message(self, message)
        finally:
            message.output_channel = channel
            await turn.flush()
        return channel.messages if isinstance(channel, CollectingOutputChannel) else None
    finally:
        _current_message.reset(token)


async def held_by_worker(conversation_id: str) -> bool:
    """Return whether a duty worker holds the conversation.

    If the database cannot say, the bot answers: silence towards someone who may be in danger is
    worse than the bot talking over a worker.
    """
    held = held_conversations()
    if held.stale:
        try:
            await asyncio.to_thread(held.refresh)
        except Exception:
            logger.exception("could not check which conversations duty workers hold")
            return False
    return conversation_id in held.ids


async def record_for_worker(self: MessageProcessor, message: UserMessage) -> Any:
    """Parse (safety net included) and record a message in the current session; no reply."""
    tracker = await self.get_tracker(message.sender_id)
    await self._handle_message_with_tracker(message, tracker)
    await self.save_tracker(tracker)
    if isinstance(message.output_channel, CollectingOutputChannel):
        return message.output_channel.messages
    return None


def escalation_due(tracker: DialogueStateTracker) -> dict[str, Any] | None:
    """Return the safety decision (as its slot value) if it calls for an escalation this turn.

    A message the safety net read nothing in (and that answers no question of the bot's) cannot
    change the decision, so the conversation is not read again for it.
    """
    latest = tracker.latest_message
    if latest is not None:
        signals = signals_of(latest.parse_data)
        answer = (latest.intent or {}).get("name") in ANSWERS
        read = signals.indicators or max(signals.scores.values(), default=0.0) >= CLASSIFIER_UNSURE
        if not read and not answer:
            return None
    conversation = read_conversation(tracker.events)
    if not conversation.turns:
        return None
    assessment, plan = conversation.decide(tracker.get_slot(AUDIENCE_SLOT))
    if ESCALATE not in plan:
        return None
    return assessment.as_slot(conversation.message_ids)


def trigger_of(tracker: DialogueStateTracker) -> Trigger | None:
    """Return the latest message of ``tracker`` as an escalation's trigger (None before any)."""
    latest = tracker.latest_message
    if latest is None:
        return None
    return Trigger(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        text=latest.text or "",
        message_id=latest.message_id,
    )


def ensure_escalation(tracker: DialogueStateTracker, slot: dict[str, Any]) -> bool:
    """Open the escalation the decision ``slot`` calls for if the action stored none."""
    trigger = trigger_of(tracker)
    if trigger is None:
        return False
    _, opened = open_escalation(escalation_store(), escalation_request(slot), trigger)
    if opened is not Opened.EXISTING:
        logger.error(
            "action_escalate stored no escalation for %s; opened it here instead",
            tracker.sender_id,
        )
    return opened is Opened.NEW


async def save_tracker_with_escalation_failsafe(
    self: MessageProcessor, tracker: DialogueStateTracker
) -> None:
    """Save as Rasa does; first, during a user's turn, make sure its escalation exists.

    After the follow-ups to a message that escalated on its own, an escalation they did not take
    back goes into the duty team's queue at once (fix 9).
    """
    in_turn = _current_message.get() is not None
    due = escalation_due(tracker) if in_turn else None
    try:
        if due is not None:
            await asyncio.to_thread(ensure_escalation, tracker, due)
        if in_turn and kept_after_follow_up(tracker):
            await asyncio.to_thread(escalation_store().queue_now, tracker.sender_id)
    except Exception:  # the turn must still be saved
        logger.exception("escalation fail-safe could not check %s", tracker.sender_id)
    await _rasa_save_tracker(self, tracker)


def handle_unless_held(tracker: DialogueStateTracker) -> bool:
    """Predict for every conversation that reaches prediction (held ones never do, fix 4)."""
    return True


def spoken_language(tracker: DialogueStateTracker) -> str | None:
    """Return the language the latest message is surely in, if it is not chosen by name."""
    message = tracker.latest_message
    if message is None or (message.intent or {}).get("name") in LANGUAGE_CHOICE_INTENTS:
        return None
    signals = (message.parse_data.get("safety") or {}).get("signals")
    if not isinstance(signals, dict):
        return None
    language = signals.get("language") or "en"  # stored only when it is not English
    return language if language in SPOKEN_LANGUAGES else None


async def extract_slots_and_language(
    self: MessageProcessor, output_channel: Any, tracker: DialogueStateTracker
) -> DialogueStateTracker:
    """Fill slots as Rasa does, then follow the latest message into its language (fix 8).

    The audience is set only by an introduction (``bot/audience.py``).
    """
    tracker = await _rasa_extract_slots(self, output_channel, tracker)
    latest = tracker.latest_message
    audience = introduced_audience(latest.parse_data if latest else None)
    if audience and audience != tracker.get_slot(AUDIENCE_SLOT):
        tracker.update(SlotSet(AUDIENCE_SLOT, audience), self.domain)
    language = spoken_language(tracker)
    if language and language != (tracker.get_slot(LANGUAGE_SLOT) or "en"):
        tracker.update(SlotSet(LANGUAGE_SLOT, language), self.domain)
    return tracker


async def parse_with_message_before(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    """Parse as Rasa does, letting the safety net read the message before with it (fix 9).

    The conversation's language goes with it: the safety net reads a message too short to tell
    in that language.
    """
    context = {
        PREVIOUS_MESSAGE_KEY: escalated_alone(tracker),
        MESSAGE_BEFORE_KEY: message_before(tracker),
        CONVERSATION_LANGUAGE_KEY: tracker.get_slot(LANGUAGE_SLOT) if tracker else None,
    }
    context = {key: value for key, value in context.items() if value}
    if not context:
        return await _rasa_parse_message(self, message, tracker, only_output_properties)
    message.metadata = {**(message.metadata or {}), **context}
    try:
        return await _rasa_parse_message(self, message, tracker, only_output_properties)
    finally:
        for key in context:
            message.metadata.pop(key, None)


def configure_app_with_limits(*args: Any, **kwargs: Any) -> Sanic:
    """Configure the Rasa app as Rasa does, then apply our limits (fix 5)."""
    app = _rasa_configure_app(*args, **kwargs)
    apply_limits(app)
    return app


def add_root_route_without_version(app: Sanic) -> None:
    """Answer ``/`` without announcing Rasa's version (fix 5)."""
    app.add_route(up, "/", methods=["GET"])


def apply_fixes() -> None:
    """Apply the fixes above to the imported Rasa."""
    setattr(rasa.core.run, "configure_app", configure_app_with_limits)  # noqa: B010
    setattr(rasa.server, "add_root_route", add_root_route_without_version)  # noqa: B010
    setattr(MessageProcessor, "handle_message", handle_message_without_intent_shortcut)  # noqa: B010
    setattr(MessageProcessor, "save_tracker", save_tracker_with_escalation_failsafe)  # noqa: B010
    setattr(RemoteAction, "_validate_action_result", validate_action_result)  # noqa: B010
    setattr(RemoteAction, "run", run_or_answer_here)  # noqa: B010
    setattr(MessageProcessor, "_should_handle_message", staticmethod(handle_unless_held))  # noqa: B010
    setattr(MessageProcessor, "run_action_extract_slots", extract_slots_and_language)  # noqa: B010
    setattr(MessageProcessor, "parse_message", parse_with_message_before)  # noqa: B010
    setattr(sanic.app, "serve_multiple", serve_supervised)  # noqa: B010
    setattr(Domain, "states_for_tracker_history", states_for_tracker_history)  # noqa: B010
    setattr(RulePolicy, "_get_possible_keys", possible_rule_keys)  # noqa: B010


def main() -> None:
    """Run the Rasa CLI (``python -m bot.rasa_server run ...``) with the fixes applied."""
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
