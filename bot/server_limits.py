"""Limits on what any client can make the Rasa server do: body sizes, timeouts, message length.

- Every request body is capped (``MAX_BODY_BYTES``) and smaller per route (``ROUTE_BODY_LIMITS``:
  sign-in, the SMS webhooks and the REST channel take a few kilobytes), checked from the
  Content-Length before a byte of the body is read, and while reading a chunked one.
- A connection that goes quiet is closed: after ``REQUEST_TIMEOUT_SECONDS`` in its headers,
  ``RESPONSE_TIMEOUT_SECONDS`` in its body or while its answer is made (Sanic reads the body
  in the handler stage, and its timeouts count from the last byte either way), and
  ``KEEP_ALIVE_TIMEOUT_SECONDS`` between requests; so a client that stops sending cannot hold a
  connection open. Live streams send a heartbeat well within that (``bot/console/web.py``).
- The root route says the server is up, not which Rasa it runs.
- A person's message is read by the safety net up to ``MAX_MESSAGE_CHARS``: beyond that only its
  beginning and its end are read (``readable_part``), so no message can make a turn slow.
"""

from __future__ import annotations

from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

MAX_BODY_BYTES = 1_000_000
ROUTE_BODY_LIMITS = (
    ("/console/login", 8_192),
    ("/console/password", 8_192),
    ("/console/api/", 65_536),
    ("/webhooks/twilio", 32_768),
    ("/webhooks/rest/", 32_768),
)
REQUEST_TIMEOUT_SECONDS = 15
RESPONSE_TIMEOUT_SECONDS = 30
KEEP_ALIVE_TIMEOUT_SECONDS = 5
MAX_MESSAGE_CHARS = 5000
TAIL_CHARS = 1000  # of an over-long message, the end is read too: what is urgent is often last


def body_limit(path: str) -> int:
    """Return the largest body, in bytes, a request to ``path`` may send."""
    return next(
        (limit for prefix, limit in ROUTE_BODY_LIMITS if path.startswith(prefix)), MAX_BODY_BYTES
    )


def readable_part(text: str) -> str:
    """Return what the safety net reads of a message: all of it, or its beginning and end."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    head = MAX_MESSAGE_CHARS - TAIL_CHARS
    return f"{text[:head]} {text[-TAIL_CHARS:]}"


async def limit_body_for_route(request: Request, **_: Any) -> None:
    """Lower the body limit to the route's before Sanic reads the body (a 413 beyond it)."""
    if request.stream is not None:
        request.stream.request_max_size = min(
            request.stream.request_max_size, body_limit(request.path)
        )


async def up(request: Request) -> HTTPResponse:
    """Say the server is up (without naming the software or its version)."""
    return response.text("ok")


def apply_limits(app: Sanic) -> None:
    """Apply the limits above to the Rasa server's Sanic app."""
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.REQUEST_TIMEOUT = REQUEST_TIMEOUT_SECONDS
    app.config.RESPONSE_TIMEOUT = RESPONSE_TIMEOUT_SECONDS
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_TIMEOUT_SECONDS
    app.signal("http.routing.after")(limit_body_for_route)
