"""What every console route shares: the service, the signed-in check, CSRF, audit and streams."""

from __future__ import annotations

import asyncio
import hmac
import json
import time
from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import CASEWORK_ROLES
from bot.console.pages import COOKIE_PATH, render, security_headers
from bot.console.service import ConsoleService
from bot.console.sessions import ConsoleSession

SESSION_COOKIE, LOGIN_COOKIE, DEVICE_COOKIE = "console_session", "console_login", "console_device"
STREAM_POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 10.0  # a quiet stream still sends, so the server's idle timeout spares it
Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


def service(request: Request) -> ConsoleService:
    """Return the console service this server built when it started."""
    console: ConsoleService | None = getattr(request.app.ctx, "console", None)
    if console is None:
        raise RuntimeError("the console has not started")
    return console


async def current(request: Request, touch: bool = True) -> ConsoleSession | None:
    """Return the request's live session (``touch``: count the request as activity)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    return await asyncio.to_thread(service(request).sessions.resolve, token, touch)


def csrf_ok(request: Request, session: ConsoleSession) -> bool:
    """Return whether the request carries the session's CSRF token (header or form field)."""
    sent = request.headers.get("X-CSRF-Token") or (request.form or {}).get("csrf") or ""
    sent_bytes = sent.encode("utf-8", "replace")
    return bool(sent) and hmac.compare_digest(sent_bytes, session.csrf_token.encode())


def page_response(
    page: str, session: ConsoleSession | None, status: int = 200, **values: Any
) -> HTTPResponse:
    """Return ``page`` rendered for ``session``."""
    return response.html(render(page, session, **values), status=status)


def record(
    request: Request, actor: str, action: str, reference: str | None = None, detail: str = ""
) -> Awaitable[int]:
    """Append to the audit log (in a thread: the log is a database write)."""
    return asyncio.to_thread(service(request).audit.record, actor, action, reference, detail)


def client_address(request: Request) -> str:
    """Return the address a request came from (used only as a keyed hash for throttling)."""
    return str(request.remote_addr or request.ip or "unknown")


def signed_in(
    roles: tuple[str, ...] = CASEWORK_ROLES, api: bool = False, before_password: bool = False
) -> Callable[[Handler], Handler]:
    """Require a live session (with a changed password) in one of ``roles``; CSRF on POST.

    By default only the roles that handle escalations: a route for anyone else names them.
    """

    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            session = await current(request)
            if session is None:
                if api:
                    return response.json({"error": "signed_out"}, status=401)
                return response.redirect(f"{COOKIE_PATH}/login")
            if session.must_change_password and not before_password:
                if api:
                    return response.json({"error": "password_change_needed"}, status=403)
                return response.redirect(f"{COOKIE_PATH}/password")
            if session.role not in roles:
                if api:
                    return response.json({"error": "forbidden"}, status=403)
                return page_response("forbidden.html", session, status=403)
            if request.method == "POST" and not csrf_ok(request, session):
                return response.json({"error": "csrf"}, status=403)
            return await handler(request, session, *args, **kwargs)

        return guarded

    return wrap


async def stream(
    request: Request, event: str, snapshot: Callable[[], Awaitable[Any]]
) -> HTTPResponse:
    """Send ``snapshot()`` as a server-sent event whenever it changes, while the session lasts."""
    reply = await request.respond(
        content_type="text/event-stream",
        headers={**security_headers(), "X-Accel-Buffering": "no"},
    )
    last, sent_at = None, time.monotonic()
    while True:
        if await current(request, touch=False) is None:
            await reply.send("event: signed_out\ndata: {}\n\n")
            break
        data = await snapshot()
        # ages tick every second: compare without them, so only real changes are sent
        unaged = (
            [{k: v for k, v in row.items() if k != "age_seconds"} for row in data]
            if event == "queue"
            else data
        )
        comparable = json.dumps(unaged, sort_keys=True, default=str)
        if comparable != last:
            last, sent_at = comparable, time.monotonic()
            await reply.send(f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n")
        elif time.monotonic() - sent_at > HEARTBEAT_SECONDS:
            sent_at = time.monotonic()
            await reply.send(": still here\n\n")  # an SSE comment: the page ignores it
        await asyncio.sleep(STREAM_POLL_SECONDS)
    await reply.eof()
    return reply
