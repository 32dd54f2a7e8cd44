"""Sending texts through Twilio: every reply recorded before it is sent, and sent at most once.

A turn's texts are split into messages (whole sentences kept together, so a reference is never
parted from its words) and every message is recorded as *planned*, with the inbound text it
answers, in one transaction, before the first is sent. Each is marked *sending* just before
Twilio is asked, and *sent* with Twilio's id after. After a crash, a text left pending is not
processed again if its replies were planned: the planned ones are sent, and one caught
mid-send is marked *interrupted* and never sent again, since Twilio may already have it (Twilio
offers no idempotency key to ask). Transient failures are retried with backoff; no text goes
to a number that opted out.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.sms_encoding import split_for_sms
from bot.storage.sms import INTERRUPTED, PLANNED, SENDING, SmsStore

logger = logging.getLogger(__name__)
SEND_ATTEMPTS = 4
FIRST_RETRY_SECONDS = 0.5
OPTED_OUT_ERROR = 21610


@dataclass(frozen=True)
class TwilioSettings:
    """Twilio account and addresses, from the environment."""

    account_sid: str
    auth_token: str
    from_number: str
    messaging_service_sid: str
    public_webhook_url: str
    api_base_url: str

    @classmethod
    def from_env(cls) -> TwilioSettings:
        """Read ``TWILIO_*`` and ``BOT_SMS_PUBLIC_URL`` (the webhook URL Twilio calls)."""
        return cls(
            account_sid=os.environ.get("TWILIO_ACCOUNT_SID", ""),
            auth_token=os.environ.get("TWILIO_AUTH_TOKEN", ""),
            from_number=os.environ.get("TWILIO_FROM_NUMBER", ""),
            messaging_service_sid=os.environ.get("TWILIO_MESSAGING_SERVICE_SID", ""),
            public_webhook_url=os.environ.get("BOT_SMS_PUBLIC_URL", ""),
            api_base_url=os.environ.get("TWILIO_API_BASE_URL", ""),
        )

    @property
    def configured(self) -> bool:
        """Return whether enough is set to receive and send."""
        sender = self.from_number or self.messaging_service_sid
        return bool(self.account_sid and self.auth_token and sender and self.public_webhook_url)

    @property
    def status_callback_url(self) -> str:
        """Return the public URL of the status-callback endpoint, beside the webhook."""
        return self.public_webhook_url.rsplit("/", 1)[0] + "/status"


class SmsSender:
    """Send texts through Twilio and record each message and its fate."""

    def __init__(self, settings: TwilioSettings, store: SmsStore) -> None:
        """Use ``settings`` (a client is made only when SMS is configured) and ``store``."""
        self.settings = settings
        self.store = store
        # made once, before any thread uses it
        self.client: Client | None = None
        if settings.configured:
            self.client = Client(settings.account_sid, settings.auth_token)
            if settings.api_base_url:
                self.client.api.base_url = settings.api_base_url

    async def send(
        self, conversation_id: str, address: str, texts: list[str], inbound_sid: str | None = None
    ) -> str:
        """Record then send ``texts`` (in as many messages as they need); return the outcome.

        ``"sent"`` when Twilio accepted every message, else what stopped one: ``"opted_out"`` or
        ``"failed"`` (Twilio refused it, or gave up after retries).
        """
        parts = [(p.text, p.segments) for text in texts for p in split_for_sms(text)]
        if not parts:
            return "sent"
        ids = await asyncio.to_thread(self.store.plan_replies, conversation_id, inbound_sid, parts)
        return await self._send_planned(
            conversation_id, address, list(zip(ids, parts, strict=True))
        )

    async def resume(self, inbound_sid: str, conversation_id: str, address: str) -> bool:
        """Finish the replies planned for an inbound text; return False if none were planned."""
        planned = await asyncio.to_thread(self.store.replies_to, inbound_sid)
        if not planned:
            return False
        for caught in (o for o in planned if o.status == SENDING):
            logger.error("A text to %s was being sent at a crash: not sent again", conversation_id)
            await asyncio.to_thread(self.store.update_outbound, caught.id, status=INTERRUPTED)
        waiting = [(o.id, (o.body, o.segments)) for o in planned if o.status == PLANNED]
        await self._send_planned(conversation_id, address, waiting)
        return True

    async def _send_planned(
        self, conversation_id: str, address: str, planned: list[tuple[int, tuple[str, int]]]
    ) -> str:
        outcome = "sent"
        for outbound_id, (body, _) in planned:
            sent = await self._send_one(conversation_id, outbound_id, address, body)
            if outcome == "sent":
                outcome = sent
        return outcome

    async def _send_one(
        self, conversation_id: str, outbound_id: int, address: str, body: str
    ) -> str:
        contact = await asyncio.to_thread(self.store.contact, conversation_id)
        if contact is not None and contact.opted_out:
            await asyncio.to_thread(self.store.update_outbound, outbound_id, status="not_sent")
            return "opted_out"
        if not await asyncio.to_thread(self.store.start_sending, outbound_id):
            return "sent"  # another worker of this text has it
        delay = FIRST_RETRY_SECONDS
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                message = await asyncio.to_thread(self._create_message, address, body)
            except (TwilioRestException, OSError) as error:
                # network errors and 5xx/429 are worth retrying; other refusals are final
                status = error.status if isinstance(error, TwilioRestException) else 503
                code = error.code if isinstance(error, TwilioRestException) else None
                if (status >= 500 or status == 429) and attempt < SEND_ATTEMPTS:
                    await asyncio.to_thread(
                        self.store.update_outbound, outbound_id, attempts=attempt
                    )
                    await asyncio.sleep(delay)
                    delay *= 2
                    continue
                return await self._failed(conversation_id, outbound_id, code, attempt)
            await asyncio.to_thread(
                self.store.record_sent,
                outbound_id,
                str(message.sid),
                str(message.status or "queued"),
                attempt,
            )
            return "sent"
        return "failed"  # not reached: the last attempt always returns

    async def _failed(
        self, conversation_id: str, outbound_id: int, code: int | None, attempts: int
    ) -> str:
        await asyncio.to_thread(
            self.store.record_failed,
            outbound_id,
            conversation_id,
            code,
            attempts,
            code == OPTED_OUT_ERROR,
        )
        logger.error("SMS to %s failed (Twilio error %s)", conversation_id, code)
        return "opted_out" if code == OPTED_OUT_ERROR else "failed"

    def _create_message(self, address: str, body: str) -> Any:
        if self.client is None:
            raise RuntimeError("SMS is not configured")
        sender = (
            {"messaging_service_sid": self.settings.messaging_service_sid}
            if self.settings.messaging_service_sid
            else {"from_": self.sender_for(address)}
        )
        return self.client.messages.create(
            to=address,
            body=body,
            status_callback=self.settings.status_callback_url,
            **sender,
        )

    def sender_for(self, address: str) -> str:
        """Return our number in the texter's channel (``whatsapp:`` for WhatsApp)."""
        number = self.settings.from_number
        if address.startswith("whatsapp:") and not number.startswith("whatsapp:"):
            return f"whatsapp:{number}"
        return number
