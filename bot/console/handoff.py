"""Live handoff inside the Rasa server: a duty worker takes a conversation over and hands it back.

The console runs in the same process as Rasa, so it uses the agent's own tracker store and lock
(no HTTP API is exposed) and the channels' own senders:

- taking over records ``ConversationPaused`` and tells the person a duty worker has joined; while
  the escalation is claimed the bot says nothing (``bot/rasa_server.py``, fix 4), even after
  ``/restart`` or a new session;
- a worker's reply goes through the person's channel (web chat push, or SMS with its rules:
  never after an opt-out or after "not safe to text") and is recorded in the conversation;
- handing back records ``ConversationResumed`` and tells the person the bot is back;
- if the worker leaves a message unanswered for the quiet time, the person is told, with the
  24/7 routes.

Everything the person is told here is reviewed wording from ``content/``; a worker's own words
are marked as theirs in the record.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import (
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    UserUttered,
)

from bot.channels.conversation_language import conversation_language
from bot.content.catalogue import cached_catalogue
from bot.content.domain_builder import SMS_OUTPUT_CHANNEL
from bot.content.schema import DEFAULT_LANGUAGE
from bot.paths import content_dir
from bot.safety.conversation import signals_of
from bot.safety.indicators import Kind, kind_of
from bot.storage.escalation_records import Escalation

logger = logging.getLogger(__name__)
WEBCHAT, SMS = "webchat", SMS_OUTPUT_CHANNEL
SENT = "sent"
NOT_CONNECTED = "not_connected"  # web chat: sent to the conversation, but no page is open now
NO_LIVE_CHANNEL = "no_live_channel"
FAILED = "failed"
# What the person is told, per channel: web chat shows its own page line for join and leave.
JOINED, LEFT, QUIET = "joined", "left", "quiet"
NOTICE_CONTENT = {
    JOINED: "handoff_worker_joined",
    LEFT: "handoff_worker_left",
    QUIET: "handoff_worker_quiet",
}
WEBCHAT_STATUS = {JOINED: "worker_joined", LEFT: "worker_left"}


def wording(item_id: str, channel: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return reviewed wording from ``content/`` for a conversation on ``channel``."""
    catalogue = cached_catalogue(content_dir())
    return catalogue.text(item_id, language, None, SMS if channel == SMS else "web")


# What a duty worker is shown of the safety net's reading of each message: what happened and
# how it was read (a figure of speech, a question), not who is writing or ages.
SHOWN_KINDS = frozenset({Kind.HARM, Kind.RISK, Kind.URGENCY, Kind.SELF_HARM, Kind.MODIFIER})


@dataclass(frozen=True)
class TranscriptLine:
    """One line of a conversation as the console shows it."""

    speaker: str  # "person", "bot", "worker" or "system"
    text: str
    at: datetime
    worker: str | None = None
    delivery: str | None = None  # for a worker's message: sent, or why not
    indicators: tuple[str, ...] = ()  # what the safety net read in a person's message
    message_id: str | None = None


def _line(event: Event) -> TranscriptLine | None:
    at = datetime.fromtimestamp(event.timestamp, timezone.utc)
    if isinstance(event, UserUttered):
        read = signals_of(event.parse_data).indicators
        shown = tuple(name for name in read if kind_of(name) in SHOWN_KINDS)
        return TranscriptLine(
            "person", event.text or "", at, indicators=shown, message_id=event.message_id
        )
    if isinstance(event, BotUttered):
        handoff = event.metadata.get("handoff") or {}
        if handoff.get("kind") == "worker":
            return TranscriptLine(
                "worker", event.text or "", at, handoff.get("worker"), delivery=handoff["delivery"]
            )
        return TranscriptLine("bot", event.text or "", at, delivery=handoff.get("delivery"))
    if isinstance(event, ConversationPaused):
        return TranscriptLine("system", "paused", at)
    if isinstance(event, ConversationResumed):
        return TranscriptLine("system", "resumed", at)
    return None


class Handoff:
    """Speak for a conversation while a duty worker holds it; hand it back afterwards."""

    def __init__(self, agent: Agent, channels: dict[str, InputChannel]) -> None:
        """Use the running ``agent`` and the input channels by name."""
        self.agent = agent
        self.channels = channels

    async def transcript(self, conversation_id: str) -> list[TranscriptLine]:
        """Return the whole conversation (every session), oldest first."""
        tracker = await self.agent.tracker_store.retrieve_full_tracker(conversation_id)
        if tracker is None:
            return []
        return [line for line in map(_line, tracker.events) if line is not None]

    async def language(self, conversation_id: str) -> str:
        """Return the language the conversation is in now (its ``language`` slot)."""
        return await conversation_language(self.agent.tracker_store, conversation_id)

    async def join(self, escalation: Escalation) -> str:
        """Record the pause in the conversation and tell the person someone joined.

        What silences the bot is the claim in the database (``bot/rasa_server.py``, fix 4); the
        event is the conversation's own record of it.
        """
        await self._record(escalation.conversation_id, [ConversationPaused()])
        return await self._notify_safely(escalation, JOINED)

    async def leave(self, escalation: Escalation) -> str:
        """Record the bot's return and tell the person the duty worker has left."""
        await self._record(escalation.conversation_id, [ConversationResumed()])
        return await self._notify_safely(escalation, LEFT)

    async def reply(self, escalation: Escalation, worker: str, text: str) -> str:
        """Send a worker's words through the person's channel and record them; return delivery."""
        delivery = await self._deliver(escalation, text, from_worker=True)
        metadata = {"handoff": {"kind": "worker", "worker": worker, "delivery": delivery}}
        await self._record(escalation.conversation_id, [BotUttered(text, metadata=metadata)])
        return delivery

    async def quiet_since(self, escalation: Escalation, quiet: timedelta) -> float | None:
        """Return when the oldest unanswered message was sent, if over ``quiet`` ago, else None."""
        # the claim's pause is in the current session, and a held conversation starts no other
        tracker = await self._processor().get_tracker(escalation.conversation_id)
        waiting_since = None
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                waiting_since = event.timestamp
            elif isinstance(event, ConversationPaused) or (
                isinstance(event, BotUttered) and event.metadata.get("handoff")
            ):
                break
        if waiting_since is None:
            return None
        if datetime.now(timezone.utc).timestamp() - waiting_since < quiet.total_seconds():
            return None
        return float(waiting_since)

    async def remind(self, escalation: Escalation) -> None:
        """Tell the person their worker has gone quiet, with the routes open all hours."""
        await self._notify(escalation, QUIET)

    async def _notify_safely(self, escalation: Escalation, notice: str) -> str:
        """Notify; a failed send is logged and reported, never a reason to undo the handoff."""
        try:
            return await self._notify(escalation, notice)
        except Exception:
            logger.exception("could not tell %s about the handoff", escalation.reference)
            return FAILED

    async def _notify(self, escalation: Escalation, notice: str) -> str:
        channel = escalation.channel
        language = await self.language(escalation.conversation_id)
        if channel == WEBCHAT and notice in WEBCHAT_STATUS:
            status = WEBCHAT_STATUS[notice]
            text = cached_catalogue(content_dir()).page_text(status, language)
            delivery = await self._webchat_status(escalation.conversation_id, status)
        else:
            text = wording(NOTICE_CONTENT[notice], channel, language)
            delivery = await self._deliver(escalation, text, from_worker=False)
        metadata = {"handoff": {"kind": "notice", "notice": notice, "delivery": delivery}}
        await self._record(escalation.conversation_id, [BotUttered(text, metadata=metadata)])
        return delivery

    async def _webchat_status(self, conversation_id: str, status: str) -> str:
        output = self._webchat_output()
        if output is None:
            return NO_LIVE_CHANNEL
        await output.send_status(conversation_id, status)
        return await self._webchat_delivery(conversation_id)

    def _webchat_output(self) -> Any:
        channel = self.channels.get(WEBCHAT)
        return channel.get_output_channel() if channel else None

    async def _webchat_delivery(self, conversation_id: str) -> str:
        channel = self.channels.get(WEBCHAT)
        # with several workers this asks Redis: off the event loop
        connected = channel is not None and await asyncio.to_thread(
            channel.connected, conversation_id
        )
        return SENT if connected else NOT_CONNECTED

    async def _deliver(self, escalation: Escalation, text: str, from_worker: bool) -> str:
        if escalation.channel == WEBCHAT:
            output = self._webchat_output()
            if output is None:
                return NO_LIVE_CHANNEL
            if from_worker:
                await output.send_worker_message(escalation.conversation_id, text)
            else:
                await output.send_text_message(escalation.conversation_id, text)
            return await self._webchat_delivery(escalation.conversation_id)
        sms = self.channels.get(SMS)
        if escalation.channel == SMS and sms is not None:
            return str(await sms.send_from_console(escalation.conversation_id, text))
        return NO_LIVE_CHANNEL  # e.g. the loopback REST channel: nothing can be pushed

    def _processor(self) -> MessageProcessor:
        """Return the agent's processor (the console starts after the model is loaded)."""
        if self.agent.processor is None:
            raise RuntimeError("the assistant's model is not loaded")
        return self.agent.processor

    async def _record(self, conversation_id: str, events: list[Event]) -> None:
        """Append ``events`` to the conversation under Rasa's own lock for it."""
        async with self.agent.lock_store.lock(conversation_id):
            tracker = await self._processor().get_tracker(conversation_id)
            for event in events:
                tracker.update(event)
            await self.agent.tracker_store.save(tracker)
