"""SMS (and WhatsApp) over Twilio: signed, acknowledged at once, processed once, sent with care.

Rasa's own Twilio channel checks no signature, blocks the event loop while sending, drops failed
replies and processes retries twice. This one:

- refuses any webhook whose ``X-Twilio-Signature`` does not match the configured public URL and
  all form fields (403, logged without the message);
- accepts only a ``MessageSid`` in Twilio's format (the signature covers fields run together, so
  a signed request re-split into other fields still validates: the format check refuses it),
  and records each in the database before anything else, with a keyed hash of it kept for good,
  so a retry or a replay, even after a restart, a DELETE or the purge, is ignored; then answers
  Twilio at once. The SMS receiver (``bot/channels/sms_receiver.py``, a process of its own so
  that Twilio is answered while turns run) does this; the routes here answer the same way;
- processes the recorded texts from the database, taken by whichever worker looks first, a
  person's texts one at a time and in order (the text is kept encrypted until processed, so a
  message acknowledged just before a crash is processed after the restart);
- handles a lone STOP (and Twilio's other opt-out words), START, HELP and DELETE (which erases
  the conversation unless it is a safeguarding record, as retention does) itself; every
  other message goes through Rasa, and so through the safety net;
- once an escalation is open, asks whether it is safe to text this number (someone else may
  read it) and records the answer, before any duty worker texts back;
- sends a turn's SMS wording from ``content/`` as one text, quick replies as numbered options
  ("1", "2"... picks one), through ``bot/channels/sms_sending.py``: recorded before sending,
  sent at most once across crashes, retried on transient failures, never after an opt-out,
  with every final status recorded (status callbacks are signature-checked too);
- never logs a phone number: the conversation id is a keyed hash of it, and the number itself
  is stored encrypted only so that replies can be sent (``bot/channels/phone_numbers.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.conversation_language import conversation_language
from bot.channels.phone_numbers import PhoneVault
from bot.channels.sms_receiver import SmsReceiver
from bot.channels.sms_sending import SmsSender, TwilioSettings
from bot.channels.sms_words import (
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    SAFE_TO_TEXT_ANSWERS,
    SAFE_TO_TEXT_OPTIONS,
    WELSH_COMMANDS,
    SmsCollector,
    sms_wording,
    with_numbered_options,
)
from bot.content.domain_builder import SMS_OUTPUT_CHANNEL
from bot.content.schema import DEFAULT_LANGUAGE
from bot.storage.database import create_engine, tracker_url
from bot.storage.escalations import EscalationStore
from bot.storage.retention import forget_conversations
from bot.storage.sms import Contact, SmsStore
from bot.storage.sms_inbound import GENERATION_SETTING, RETRY_AFTER

logger = logging.getLogger(__name__)

CONCURRENT_TURNS = 1
# how often a worker looks for texts in the queue (the receiver records them there)
QUEUE_SECONDS = 0.2


@dataclass(frozen=True)
class InboundText:
    """One text to process: whose conversation, from which address, what it says, its id."""

    conversation_id: str
    address: str
    body: str
    message_sid: str


class SmsInput(InputChannel):
    """The SMS input channel (credentials key ``bot.channels.sms.SmsInput``)."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name (also the output channel of its wording)."""
        return SMS_OUTPUT_CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Create the channel; settings come from the environment, not credentials."""
        return cls(TwilioSettings.from_env())

    def __init__(self, settings: TwilioSettings) -> None:
        """Prepare the channel; stores and the sender are made on first use."""
        self.settings = settings
        self._vault: PhoneVault | None = None
        self._store: SmsStore | None = None
        self._sender: SmsSender | None = None
        self._escalations: EscalationStore | None = None
        self._app: Any = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._conversation_locks: dict[str, asyncio.Lock] = {}
        self._turns: asyncio.Semaphore | None = None
        # this server's generation (shared by its workers, new at each start): texts it takes
        # are left to it until their lease runs out
        self.generation = os.environ.get(GENERATION_SETTING) or uuid.uuid4().hex
        self._in_hand: set[str] = set()  # message ids this process is handling or has queued
        self._queued = asyncio.Event()  # a text was recorded here: look at the queue now
        self._receiver: SmsReceiver | None = None

    @property
    def vault(self) -> PhoneVault:
        """Return the phone-number vault."""
        if self._vault is None:
            self._vault = PhoneVault()
        return self._vault

    @property
    def store(self) -> SmsStore:
        """Return the SMS records."""
        if self._store is None:
            self._store = SmsStore()
        return self._store

    @property
    def receiver(self) -> SmsReceiver:
        """Return what verifies, records and acknowledges Twilio's requests."""
        if self._receiver is None:
            self._receiver = SmsReceiver(self.settings, self.vault, self.store)
        return self._receiver

    @property
    def sender(self) -> SmsSender:
        """Return what sends texts (recorded first, at most once)."""
        if self._sender is None:
            self._sender = SmsSender(self.settings, self.store)
        return self._sender

    @property
    def escalations(self) -> EscalationStore:
        """Return the escalation records."""
        if self._escalations is None:
            self._escalations = EscalationStore()
        return self._escalations

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the webhook and status routes (as the receiver answers them) and the queue."""
        sms = Blueprint("sms_webhook", __name__)

        @sms.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            answer, new = await self.receiver.webhook(request)
            if new:
                self._queued.set()  # take it now rather than at the next look
            return answer

        @sms.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            return await self.receiver.status(request)

        async def take_queued() -> None:
            """Process the texts this worker takes from the queue (``sms_inbound``)."""
            taken = await asyncio.to_thread(self.store.take_pending, self.generation)
            for message_sid, conversation_id, sealed in taken:
                if message_sid in self._in_hand:  # still queued here (a long backlog)
                    continue
                kept = json.loads(self.vault.unseal(sealed))
                inbound = InboundText(conversation_id, kept["from"], kept["body"], message_sid)
                self._start(self.handle(inbound, on_new_message))

        @sms.listener("after_server_start")
        async def keep_taking(app: Any, loop: Any) -> None:
            self._app = app  # its agent's tracker store says which language a conversation is in
            self._start(self._every(QUEUE_SECONDS, take_queued))

        return sms

    async def _every(self, seconds: float, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` now and then every ``seconds`` or when woken; failures are logged."""
        while True:
            self._queued.clear()
            try:
                await work()
            except Exception:
                logger.exception("Taking texts from the queue failed; it will be tried again")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._queued.wait(), seconds)

    def _start(self, work: Awaitable[None]) -> None:
        """Run ``work`` in the background, keeping a reference until it ends."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def handle(
        self, inbound: InboundText, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Process one inbound text: commands here, everything else through Rasa.

        A conversation's texts are handled one at a time, in the order they came; at most
        ``CONCURRENT_TURNS`` turns run at once, so webhooks are still acknowledged between them.
        """
        if self._turns is None:
            self._turns = asyncio.Semaphore(CONCURRENT_TURNS)
        conversation_id = inbound.conversation_id
        lock = self._conversation_locks.setdefault(conversation_id, asyncio.Lock())
        self._in_hand.add(inbound.message_sid)
        try:
            async with lock, self._turns:
                await self._handle(inbound, on_new_message)
                await asyncio.to_thread(self.store.mark_processed, inbound.message_sid)
        except Exception:  # a failure must be visible, and must not kill the server
            logger.exception(
                "Failed to process an SMS for %s; it is tried again in %d s",
                conversation_id,
                RETRY_AFTER.total_seconds(),
            )
            await asyncio.to_thread(self.store.release, inbound.message_sid)
        finally:
            self._in_hand.discard(inbound.message_sid)
            if not lock.locked() and self._conversation_locks.get(conversation_id) is lock:
                del self._conversation_locks[conversation_id]

    async def _handle(
        self, inbound: InboundText, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        conversation_id, address = inbound.conversation_id, inbound.address
        if await self.sender.resume(inbound.message_sid, conversation_id, address):
            logger.warning("Finished the replies of an SMS for %s after a restart", conversation_id)
            return
        contact = await asyncio.to_thread(
            self.store.remember_contact, conversation_id, self.vault.encrypt(address)
        )
        welsh_command = inbound.body.strip().upper() in WELSH_COMMANDS
        language = "cy" if welsh_command else await self.language(conversation_id)
        text = await self._command(inbound, contact, sms_wording(language))
        if text is not None:
            await self._turn(inbound, text, contact, on_new_message)

    async def language(self, conversation_id: str) -> str:
        """Return the conversation's language now (English before the server has started)."""
        agent = getattr(self._app.ctx, "agent", None) if self._app is not None else None
        if agent is None:
            return DEFAULT_LANGUAGE
        return await conversation_language(agent.tracker_store, conversation_id)

    async def _command(
        self, inbound: InboundText, contact: Contact, wording: Callable[[str], str]
    ) -> str | None:
        """Handle STOP, START, HELP, DELETE and the safe-to-text answer, or return Rasa's text.

        A number picks one of the last numbered options.
        """
        conversation_id, address, body = inbound.conversation_id, inbound.address, inbound.body
        command, sid = body.strip().upper(), inbound.message_sid
        command = WELSH_COMMANDS.get(command, command)
        if command in OPT_OUT_WORDS:
            await asyncio.to_thread(self.store.set_opted_out, conversation_id, True)
            logger.warning("SMS opt-out recorded for %s: no more texts", conversation_id)
            return None
        if command in OPT_IN_WORDS and contact.opted_out:
            await asyncio.to_thread(self.store.set_opted_out, conversation_id, False)
            await self.sender.send(conversation_id, address, [wording("utter_sms_opted_in")], sid)
            return None
        if command == "HELP":
            await self.sender.send(conversation_id, address, [wording("utter_sms_help")], sid)
            return None
        if command == "DELETE":
            await self.delete(inbound, wording)
            return None
        text = body
        choice = body.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(contact.options):
            text = contact.options[int(choice) - 1]
        if contact.options == SAFE_TO_TEXT_OPTIONS and command in SAFE_TO_TEXT_ANSWERS:
            text = SAFE_TO_TEXT_ANSWERS[command]
        if text not in SAFE_TO_TEXT_OPTIONS:
            return text
        safe = text == SAFE_TO_TEXT_OPTIONS[0]
        await asyncio.to_thread(self.store.set_safe_to_text, conversation_id, safe)
        await asyncio.to_thread(self.store.set_options, conversation_id, [])
        answer = "utter_sms_safe_to_text_yes" if safe else "utter_sms_safe_to_text_no"
        await self.sender.send(conversation_id, address, [wording(answer)], sid)
        return None

    async def _turn(
        self,
        inbound: InboundText,
        text: str,
        contact: Contact,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Run one turn through Rasa and text its replies (with the safe-to-text question).

        The words the channel adds are in the language the turn left the conversation in.
        """
        conversation_id = inbound.conversation_id
        collector = SmsCollector()
        await on_new_message(
            UserMessage(
                text,
                collector,
                conversation_id,
                input_channel=self.name(),
                message_id=inbound.message_sid,
            )
        )
        wording = sms_wording(await self.language(conversation_id))
        # the turn's replies as one text (split only where SMS limits need it), ending with the
        # numbered options of its last quick replies: the ones a number reply picks from
        bodies = [str(m.get("text") or "").strip() for m in collector.messages]
        buttons: list[dict[str, Any]] = next(
            (m["buttons"] for m in reversed(collector.messages) if m.get("buttons")), []
        )
        payloads = [str(b["payload"]) for b in buttons]
        reply = with_numbered_options(
            "\n\n".join(b for b in bodies if b), buttons, wording("label_sms_reply_with_number")
        )
        texts = [reply] if reply.strip() else []
        escalation = await asyncio.to_thread(self.escalations.active_for, conversation_id)
        asking = escalation is not None and not contact.safe_to_text_asked
        if asking:
            # before a duty worker can text back, ask whether this number is safe to text
            texts.append(wording("utter_sms_safe_to_text_question"))
            payloads = list(SAFE_TO_TEXT_OPTIONS)
        await self.sender.send(conversation_id, inbound.address, texts, inbound.message_sid)
        if asking:
            await asyncio.to_thread(self.store.set_safe_to_text_asked, conversation_id)
        await asyncio.to_thread(self.store.set_options, conversation_id, payloads)

    async def delete(self, inbound: InboundText, wording: Callable[[str], str]) -> None:
        """Erase the conversation unless it is a safeguarding record; say plainly which.

        The rule is retention's: a conversation with an escalation (open or closed) or that
        quoted a reference is kept.
        """
        conversation_id, sid = inbound.conversation_id, inbound.message_sid
        kept = await asyncio.to_thread(self.escalations.conversations_to_keep, [conversation_id])
        answer = wording("utter_sms_delete_kept" if kept else "utter_sms_deleted")
        await self.sender.send(conversation_id, inbound.address, [answer], sid)
        if not kept:  # the conversations' engine is the process's one for that URL
            engines = (create_engine(tracker_url()), self.store.engine)
            await asyncio.to_thread(forget_conversations, *engines, [conversation_id])

    async def send_from_console(self, conversation_id: str, text: str) -> str:
        """Text a duty worker's message (or a handoff notice); return what happened.

        ``"sent"`` (accepted by Twilio, recorded like every text), or why it was not:
        ``"opted_out"``, ``"not_safe_to_text"`` (the texter said someone else may read it),
        ``"no_contact"`` or ``"failed"``.
        """
        contact = await asyncio.to_thread(self.store.contact, conversation_id)
        if contact is None:
            return "no_contact"
        if contact.opted_out:
            return "opted_out"
        if contact.safe_to_text is False:
            return "not_safe_to_text"
        address = self.vault.unseal(contact.address_encrypted)
        return await self.sender.send(conversation_id, address, [text])
