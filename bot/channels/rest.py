"""Rasa's REST channel, for development and tests only, and closed to everything else.

- Off unless enabled (``BOT_ENABLE_REST=1``: ``bot run`` sets it in development, never with
  ``--production``); when off it has no routes at all.
- Only for this machine: a request whose Host is not a loopback name is refused, so a reverse
  proxy put in front by mistake does not open it to the internet.
- It speaks as itself: the ``input_channel`` a client names is ignored, and a sender shaped like
  another channel's conversation (an SMS one) is refused.
- Its body is small (``bot/server_limits.py``), and a long message is read up to the message
  limit like any other, so it gets an answer, never a slow turn.
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.phone_numbers import CONVERSATION_PREFIX

ENABLE_ENV_VAR = "BOT_ENABLE_REST"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
SENDER = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


def rest_enabled() -> bool:
    """Return whether the REST channel is switched on for development or tests."""
    return os.environ.get(ENABLE_ENV_VAR, "") == "1"


def host_name(request: Request) -> str:
    """Return the request's Host without its port."""
    host = request.headers.get("host", "")
    return host if host.endswith("]") else host.rsplit(":", 1)[0]


def refusal(request: Request) -> HTTPResponse | None:
    """Return why a REST request is refused, or None to let it through."""
    if host_name(request) not in LOOPBACK_HOSTS:
        return response.json({"error": "the REST channel answers only on this machine"}, 403)
    if request.method != "POST":
        return None
    body = request.json if isinstance(request.json, dict) else None
    if body is None:
        return response.json({"error": "send a JSON object with sender and message"}, 400)
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        return response.json({"error": "sender: 1 to 100 letters, digits or _.:-"}, 400)
    if sender.startswith(CONVERSATION_PREFIX):
        return response.json({"error": "that sender belongs to another channel"}, 403)
    if not isinstance(message, str):
        return response.json({"error": "message: text"}, 400)
    return None


class DevelopmentRestInput(RestInput):
    """The REST channel (credentials key ``bot.channels.rest.DevelopmentRestInput``)."""

    @classmethod
    def name(cls) -> str:
        """Keep Rasa's name, so the webhook stays at ``/webhooks/rest/webhook``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Create the channel (it has no settings)."""
        return cls()

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return Rasa's REST routes behind the checks above, or no routes when switched off."""
        if not rest_enabled():
            return Blueprint("rest_switched_off")
        bp = super().blueprint(on_new_message)

        @bp.middleware("request")
        async def check(request: Request) -> HTTPResponse | None:
            return refusal(request)

        return bp
