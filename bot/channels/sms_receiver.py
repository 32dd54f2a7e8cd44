"""Twilio's webhooks answered by a small server of their own: verify, record, acknowledge.

Twilio waits for the answer to every webhook. In the Rasa server the answer waited behind the
turns on the same event loop: with 50 web conversations at once, 20 people texting waited 0.9 s
for half their answers and up to 7 s (p95 3.7-6.4 s). ``bot run`` starts this receiver beside
the Rasa server (``BOT_SMS_PORT``, the webhook and status URLs' port): it checks the signature,
records the text, encrypted, in the database and answers; the Rasa server's workers take the
recorded texts from there, a person's texts in order (``bot/storage/sms_inbound.py``). The Rasa
server answers the same routes the same way (``bot/channels/sms.py``), so a text sent there by
a misconfigured number is queued too, never lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import urllib.parse

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.phone_numbers import PhoneVault
from bot.channels.sms_sending import TwilioSettings
from bot.storage.sms import SmsStore

logger = logging.getLogger(__name__)

MESSAGE_SID = re.compile(r"(SM|MM)[0-9a-f]{32}")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
WEBHOOK_PATH, STATUS_PATH = "/webhooks/sms/webhook", "/webhooks/sms/status"
MAX_BODY_BYTES = 64 * 1024  # Twilio's fields for one message are a few kilobytes


def form_fields(request: Request) -> dict[str, str]:
    """Return every form field, empty ones included (Twilio signs those too)."""
    body = (request.body or b"").decode("utf-8", errors="replace")
    return dict(urllib.parse.parse_qsl(body, keep_blank_values=True))


class SmsReceiver:
    """Answer Twilio's message webhook and status callbacks: signed, recorded, acknowledged."""

    def __init__(self, settings: TwilioSettings, vault: PhoneVault, store: SmsStore) -> None:
        """Check signatures with ``settings``, seal texts with ``vault``, record in ``store``."""
        self.settings = settings
        self.validator = RequestValidator(settings.auth_token)
        self.vault = vault
        self.store = store

    def signed(self, request: Request, fields: dict[str, str], url: str) -> bool:
        """Return whether the request carries Twilio's signature for ``url`` and its fields."""
        signature = request.headers.get("X-Twilio-Signature", "")
        return bool(signature) and self.validator.validate(url, fields, signature)

    async def webhook(self, request: Request) -> tuple[HTTPResponse, bool]:
        """Record a signed inbound text; return the answer and whether it is new."""
        if not self.settings.configured:
            return response.text("SMS is not configured", status=503), False
        fields = form_fields(request)
        if not self.signed(request, fields, self.settings.public_webhook_url):
            logger.warning("Refused an SMS webhook without a valid Twilio signature")
            return response.text("Forbidden", status=403), False
        message_sid = fields.get("MessageSid") or fields.get("SmsSid") or ""
        address = fields.get("From") or ""
        if not MESSAGE_SID.fullmatch(message_sid) or not address:
            return response.text("A Twilio MessageSid and From are required", status=400), False
        conversation_id = self.vault.conversation_id(address)
        body = fields.get("Body") or ""
        pending = self.vault.seal(json.dumps({"from": address, "body": body}))
        first = await asyncio.to_thread(
            self.store.first_delivery,
            message_sid,
            self.vault.message_key(message_sid),
            conversation_id,
            pending,
        )
        if not first:
            logger.info("Ignored a repeated SMS delivery for %s", conversation_id)
        return response.text(EMPTY_TWIML, content_type="text/xml"), first

    async def status(self, request: Request) -> HTTPResponse:
        """Record a signed delivery status callback."""
        fields = form_fields(request)
        if not self.settings.configured or not self.signed(
            request, fields, self.settings.status_callback_url
        ):
            logger.warning("Refused an SMS status callback without a valid signature")
            return response.text("Forbidden", status=403)
        sid = fields.get("MessageSid") or fields.get("SmsSid") or ""
        state = fields.get("MessageStatus") or fields.get("SmsStatus") or ""
        code = fields.get("ErrorCode")
        error = int(code) if code and code.isdigit() else None
        await asyncio.to_thread(self.store.update_status_by_sid, sid, state, error)
        return response.empty()


def receiver_app(receiver: SmsReceiver) -> Sanic:
    """Return the receiver's web app: the two Twilio routes and a health check."""
    app = Sanic("sms_receiver")
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.REQUEST_TIMEOUT = app.config.RESPONSE_TIMEOUT = 10
    app.config.KEEP_ALIVE_TIMEOUT = 5

    @app.post(WEBHOOK_PATH)
    async def webhook(request: Request) -> HTTPResponse:
        answer, _ = await receiver.webhook(request)
        return answer

    @app.post(STATUS_PATH)
    async def status(request: Request) -> HTTPResponse:
        return await receiver.status(request)

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return response.text("ok")

    return app


def main() -> None:
    """Serve the receiver (``python -m bot.channels.sms_receiver --port N``; ``bot run`` does)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    receiver = SmsReceiver(TwilioSettings.from_env(), PhoneVault(), SmsStore())
    receiver_app(receiver).run(host=args.host, port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
