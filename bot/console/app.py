"""The duty-worker console: a Sanic blueprint inside the Rasa server, at ``/console``.

It is registered like a channel (``credentials.yml``), so it runs in the Rasa process and
reaches the agent's tracker store and the channels' senders directly; Rasa's HTTP API stays
off. When the server starts, one :class:`~bot.console.service.ConsoleService` is built with the
stores and put on the app's context, where every route finds it. The routes live by concern:

- ``routes_auth.py``: sign-in (throttled), the password form, sign-out;
- ``routes_queue.py``: the queue page, its JSON and live stream, availability;
- ``routes_conversations.py``: one escalation: view, claim, reply, note, transfer, close;
- ``routes_audit.py``: the supervisors' audit log (paged) and its export, and the assets;
- ``routes_figures.py``: the supervisors' Figures page and its report (printable or CSV);
- ``routes_review.py``: reviewers' sign-off of every word and service (``content/reviews.yml``).

Pages are Jinja2 templates with autoescaping (``bot/console/pages.py``) and use a small script
that talks to the JSON API under ``/console/api`` and listens to server-sent events.

Security: argon2 passwords with a one-time first password, sign-in and password-change
throttling, sessions with an idle timeout and an absolute lifetime (``bot/console/sessions.py``),
HttpOnly SameSite=Strict cookies (Secure by the configured public URL), a CSRF token on every
change, a strict CSP, and roles: supervisors and admins may read the audit log and see full
identifiers; duty workers may not. Every sign-in, transcript view, claim, reply, note, transfer,
close, export and audit view is audited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.phone_numbers import PhoneVault
from bot.console import (
    routes_audit,
    routes_auth,
    routes_conversations,
    routes_figures,
    routes_queue,
    routes_review,
)
from bot.console.accounts import AccountStore
from bot.console.audit import AuditLog
from bot.console.handoff import Handoff
from bot.console.pages import COOKIE_PATH, security_headers
from bot.console.service import ConsoleService
from bot.console.sessions import ConsoleSessions
from bot.content.catalogue import cached_catalogue
from bot.figures.report import FigureReports
from bot.paths import content_dir
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.figures import FigureStore
from bot.storage.sms import SmsStore


def console_blueprint() -> Blueprint:
    """Return the console's routes (they find the service on ``request.app.ctx.console``)."""
    bp = Blueprint("console", __name__)
    for routes in (
        routes_auth,
        routes_queue,
        routes_conversations,
        routes_audit,
        routes_figures,
        routes_review,
    ):
        routes.register(bp)

    @bp.middleware("response")
    async def add_headers(request: Request, reply: HTTPResponse) -> None:
        if request.path.startswith(COOKIE_PATH):
            reply.headers.update(security_headers())

    return bp


class ConsoleInput(InputChannel):
    """The console (credentials key ``bot.console.app.ConsoleInput``); it receives no messages."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name."""
        return "console"

    def url_prefix(self) -> str:
        """Serve the console at ``/console``."""
        return COOKIE_PATH

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Create the console; its settings come from the environment."""
        return cls()

    def __init__(self) -> None:
        """Prepare the console; its service is built when the server starts."""
        self._tasks: set[asyncio.Task[None]] = set()

    def connect(self, app: Any) -> ConsoleService:
        """Build the console's service on the running Rasa app and start the claim watcher."""
        channels = {channel.name(): channel for channel in app.ctx.input_channels}
        console = ConsoleService(
            escalations=EscalationStore(),
            accounts=AccountStore(),
            sessions=ConsoleSessions(),
            audit=AuditLog(),
            sms=SmsStore(),
            exits=ExitStore(),
            vault=PhoneVault(),
            channels=channels,
            handoff=Handoff(app.ctx.agent, channels),
            reports=FigureReports(FigureStore(), cached_catalogue(content_dir())),
        )
        app.ctx.console = console
        self._tasks.add(asyncio.ensure_future(console.watch_claims()))
        return console

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the console's pages, API and event streams."""
        bp = console_blueprint()

        @bp.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            self.connect(app)

        @bp.listener("before_server_stop")
        async def stop(app: Any, loop: Any) -> None:
            for task in self._tasks:
                task.cancel()

        return bp
