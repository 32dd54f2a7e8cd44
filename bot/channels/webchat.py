"""Web chat: Rasa's socket.io protocol on our own channel, and the chat page that uses it.

Rasa's ``SocketIOInput`` trusts whatever ``session_id`` a client sends, so anyone who learns a
session id can join that conversation and read its replies; with python-socketio 5.10 or later
it also forgets to await ``enter_room``, so no reply reaches the browser. Here:

- the server issues every conversation id together with a secret (an HMAC of the id under a
  server key); a socket joins a conversation only by presenting both, and messages are taken as
  coming from the conversation bound to the socket, never from an id in the message;
- replies go to the conversation's room, so a reconnect in the same tab resumes it;
- each message from the page carries its own id: the server confirms it (``message_received``)
  before the turn, takes it once however often it is sent, and the page keeps it, marked "not
  sent yet", until confirmed, sending it again after a reconnect;
- ``bot_typing`` tells the page a reply is on its way; ``quick_exit`` (and a beacon to
  ``/webchat/exit``, which survives the page being replaced) marks the conversation as left;
- one connection may start at most ``NEW_CONVERSATIONS_PER_WINDOW`` conversations a minute;
  past that it goes on in its current one, so a script cannot open escalation after escalation:
  what it says is added to the escalation already open, for the duty team, never dropped;
- no IP address or other client detail is stored: only the conversation id, in memory.

The page (``/webchat/``) is plain HTML, CSS and JavaScript served from ``webchat_page/`` under
a strict Content-Security-Policy; its words come from ``content/web/page.yml``, in Welsh at
``/webchat?lang=cy`` (and by default where the local profile is Welsh first), with a link to the
other language. The page's language goes with each message, so a conversation started on the
Welsh page starts in Welsh (``actions/session.py``).
"""

from __future__ import annotations

import asyncio
import html
import inspect
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import redis
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.channels.webchat_sessions import (
    CLIENT_ID,
    CONVERSATION_ID,
    PRESENCE_SECONDS,
    SharedPresence,
    choose_conversation,
    received_messages,
    secret_matches,
    server_key,
)
from bot.content.catalogue import Catalogue, load_catalogue
from bot.content.page_text import PAGE_LANGUAGES
from bot.server_limits import MAX_MESSAGE_CHARS
from bot.storage.exits import ExitStore
from bot.storage.lock_store import REDIS_URL_SETTING

logger = logging.getLogger(__name__)

CHANNEL_NAME = "webchat"
PAGE_DIR = Path(__file__).parent / "webchat_page"
ASSETS = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
    "embed.js": "text/javascript; charset=utf-8",
    "socket.io.min.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"
SOCKETIO_CHANNEL = "cseassistant-socketio"  # the Redis channel the workers share replies on


async def _settle(result: Any) -> None:
    """Await ``result`` when it is awaitable: python-socketio made room calls async in 5.10."""
    if inspect.isawaitable(result):
        await result


def link_hosts(catalogue: Catalogue) -> list[str]:
    """Return the hosts of every web address in content: the only places the page links to."""
    urls = [str(source.get("url", "")) for source in catalogue.sources.values()]
    services = [*catalogue.national_services]
    for profile in catalogue.profiles.values():
        services.extend(profile.services)
    urls.extend(contact.value for service in services for contact in service.contacts)
    hosts = {urlparse(url).hostname for url in urls if url.startswith("https://")}
    return sorted(h for h in hosts if h)


def script_safe_json(value: Any) -> str:
    """Return JSON that cannot end or open markup inside a ``<script>`` data block."""
    encoded = json.dumps(value, ensure_ascii=False)
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def content_security_policy(frame_ancestors: str) -> str:
    """Return the page's Content-Security-Policy: nothing but our own origin."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )


class WebChatOutput(OutputChannel):
    """Send the bot's messages to a conversation's room, one message per response."""

    @classmethod
    def name(cls) -> str:
        """Return the output channel's name (web wording is the default variant)."""
        return CHANNEL_NAME

    def __init__(self, sio: AsyncServer) -> None:
        """Send through ``sio``."""
        self.sio = sio

    async def _send(self, conversation_id: str, message: dict[str, Any]) -> None:
        await self.sio.emit("bot_uttered", message, room=conversation_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send one text message (the page lays out its paragraphs)."""
        await self._send(recipient_id, {"text": text, "sender": "bot"})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send one text message with its quick replies."""
        replies = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._send(recipient_id, {"text": text, "sender": "bot", "quick_replies": replies})

    async def send_worker_message(self, recipient_id: str, text: str) -> None:
        """Send a duty worker's words, shown and announced as a person's."""
        await self._send(recipient_id, {"text": text, "sender": "worker"})

    async def send_status(self, recipient_id: str, status: str) -> None:
        """Tell the page that a duty worker joined or left (``worker_joined``/``worker_left``)."""
        await self.sio.emit("chat_status", {"status": status}, room=recipient_id)


class WebChatInput(InputChannel):
    """The web chat input channel (credentials key ``bot.channels.webchat.WebChatInput``)."""

    @classmethod
    def name(cls) -> str:
        """Return the input channel's name, recorded on each message."""
        return CHANNEL_NAME

    def url_prefix(self) -> str:
        """Serve the page at ``/webchat/`` rather than under ``/webhooks/``."""
        return "/webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Create the channel; settings come from the environment, not credentials."""
        return cls()

    def __init__(self) -> None:
        """Read the settings: key, exit address, neutral title, allowed origins."""
        self.key = server_key()
        self.exit_url = os.environ.get("BOT_WEBCHAT_EXIT_URL", DEFAULT_EXIT_URL)
        self.title = os.environ.get("BOT_WEBCHAT_TITLE", "")
        origins = os.environ.get("BOT_WEBCHAT_ALLOWED_ORIGINS", "").split()
        self.allowed_origins: list[str] | None = origins or None  # None: same origin only
        self.frame_ancestors = " ".join(["'self'", *origins])
        self.sio: AsyncServer | None = None
        redis_url = os.environ.get(REDIS_URL_SETTING)
        self.received = received_messages(redis_url)
        # with several workers: which conversations have a page open on any of them
        self.presence = SharedPresence(redis_url) if redis_url else None
        self._exits: ExitStore | None = None
        self._pages: dict[str, str] = {}
        self._first_language: str | None = None

    def get_output_channel(self) -> OutputChannel | None:
        """Return the output channel, for messages sent from outside a user's turn."""
        return WebChatOutput(self.sio) if self.sio else None

    def connected(self, conversation_id: str) -> bool:
        """Return whether a browser shows the conversation now, on any worker (the console's)."""
        if self.sio is None:
            return False
        if self.sio.manager.rooms.get("/", {}).get(conversation_id):
            return True
        return self.presence is not None and self.presence.connected(conversation_id)

    async def _tell_presence(self, conversation_id: str, sids: list[str], here: bool) -> None:
        """Record in Redis that pages joined or left a conversation (several workers only)."""
        if self.presence is None:
            return
        try:
            if here:
                await asyncio.to_thread(self.presence.here, conversation_id, sids)
            else:
                for sid in sids:
                    await asyncio.to_thread(self.presence.gone, conversation_id, sid)
        except redis.RedisError:
            logger.warning("Redis did not answer: the console may not see a page's presence")

    async def _renew_presence(self) -> None:
        """Say every ``PRESENCE_SECONDS / 3`` which conversations this worker's pages show."""
        while self.sio is not None:
            rooms = self.sio.manager.rooms.get("/", {})
            for room, members in list(rooms.items()):
                if isinstance(room, str) and CONVERSATION_ID.fullmatch(room) and members:
                    await self._tell_presence(room, list(members), here=True)
            await asyncio.sleep(PRESENCE_SECONDS / 3)

    @property
    def exits(self) -> ExitStore:
        """Return the quick-exit store, connected on first use."""
        if self._exits is None:
            self._exits = ExitStore()
        return self._exits

    async def mark_exited(self, conversation_id: str) -> None:
        """Record a quick exit without blocking the event loop."""
        await asyncio.to_thread(self.exits.mark_exited, conversation_id)

    def page(self, asked: str | None = None) -> str:
        """Return the chat page in the language asked for (else the profile's first), made once."""
        if self._first_language is None:  # read content once, not on every page request
            self._first_language = "cy" if load_catalogue().profile().welsh_first else "en"
        language = asked if asked in PAGE_LANGUAGES else self._first_language
        if language not in self._pages:
            self._pages[language] = self._render_page(language)
        return self._pages[language]

    def _render_page(self, language: str) -> str:
        catalogue = load_catalogue()
        texts = {t.id: t.in_language(language) for t in catalogue.page_texts}
        if self.title:
            texts["title"] = self.title
        other = next(code for code in PAGE_LANGUAGES if code != language)
        config = {
            "exitUrl": self.exit_url,
            "linkHosts": link_hosts(catalogue),
            "maxMessageChars": MAX_MESSAGE_CHARS,
            "texts": texts,
            "language": language,
        }
        template = (PAGE_DIR / "index.html").read_text(encoding="utf-8")
        filled = template.replace("{{config}}", script_safe_json(config))
        filled = filled.replace("{{language}}", language).replace("{{other}}", other)
        for text_id, text in texts.items():
            filled = filled.replace("{{" + text_id + "}}", html.escape(text))
        return filled

    def headers(self) -> dict[str, str]:
        """Return the security and privacy headers for every page response."""
        return {
            "Content-Security-Policy": content_security_policy(self.frame_ancestors),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            "Cross-Origin-Opener-Policy": "same-origin",
        }

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the blueprint with the socket.io server and the page's routes."""
        redis_url = os.environ.get(REDIS_URL_SETTING)
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.allowed_origins,
            logger=False,
            engineio_logger=False,
            # with several workers, a reply sent by one reaches a page connected to another
            client_manager=AsyncRedisManager(redis_url, channel=SOCKETIO_CHANNEL)
            if redis_url
            else None,
        )
        self.sio = sio
        webchat = SocketBlueprint(sio, "/socket.io", "webchat")

        self._socket_events(sio, WebChatOutput(sio), on_new_message)
        self._page_routes(webchat)
        if self.presence is not None:
            tasks: set[asyncio.Task[None]] = set()

            @webchat.listener("after_server_start")
            async def renew_presence(app: Any, loop: Any) -> None:
                tasks.add(asyncio.ensure_future(self._renew_presence()))

        return webchat

    def _socket_events(
        self,
        sio: AsyncServer,
        output: WebChatOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Handle the page's socket.io events: sessions, messages and quick exit."""

        async def conversation_of(sid: str) -> str | None:
            session = await sio.get_session(sid)
            conversation_id = session.get("conversation_id")
            return conversation_id if isinstance(conversation_id, str) else None

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            claim = data if isinstance(data, dict) else {}
            session = await sio.get_session(sid)
            previous = await conversation_of(sid)
            if previous:
                await _settle(sio.leave_room(sid, previous))
                await self._tell_presence(previous, [sid], here=False)
            conversation_id, secret, resumed, started = choose_conversation(
                self.key, claim, previous, session.get("started", []), time.monotonic()
            )
            await sio.save_session(sid, {"conversation_id": conversation_id, "started": started})
            await _settle(sio.enter_room(sid, conversation_id))
            await self._tell_presence(conversation_id, [sid], here=True)
            await sio.emit(
                "session_confirm",
                {"session_id": conversation_id, "secret": secret, "resumed": resumed},
                room=sid,
            )

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any = None) -> None:
            conversation_id = await conversation_of(sid)
            if conversation_id is None:
                await sio.emit("session_required", {}, room=sid)
                return
            text = data.get("message") if isinstance(data, dict) else None
            text = text if isinstance(text, str) else ""  # read up to the limit by Rasa's entry
            client_id = data.get("client_id") if isinstance(data, dict) else None
            message_id = None
            if isinstance(client_id, str) and CLIENT_ID.fullmatch(client_id):
                # the page keeps a message until this arrives, and sends it again after a
                # reconnect: a message already taken is confirmed again, never processed twice
                await sio.emit("message_received", {"client_id": client_id}, room=sid)
                if not await self.received.first_time(conversation_id, client_id):
                    return
                message_id = f"{conversation_id}:{client_id}"
            language = data.get("language") if isinstance(data, dict) else None
            metadata = {"language": language} if language in PAGE_LANGUAGES else None
            await sio.emit("bot_typing", {"typing": True}, room=conversation_id)
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        output,
                        conversation_id,
                        input_channel=CHANNEL_NAME,
                        message_id=message_id,
                        metadata=metadata,
                    )
                )
            finally:
                await sio.emit("bot_typing", {"typing": False}, room=conversation_id)

        @sio.on("quick_exit")
        async def quick_exit(sid: str, data: Any = None) -> None:
            conversation_id = await conversation_of(sid)
            if conversation_id:
                await self.mark_exited(conversation_id)
                await _settle(sio.leave_room(sid, conversation_id))
                await self._tell_presence(conversation_id, [sid], here=False)
            await sio.disconnect(sid)

        @sio.on("disconnect")
        async def disconnect(sid: str) -> None:
            conversation_id = await conversation_of(sid)
            if conversation_id:
                await self._tell_presence(conversation_id, [sid], here=False)

    def _page_routes(self, webchat: Blueprint) -> None:
        """Serve the page, its assets and the quick-exit beacon."""

        @webchat.route("/", methods=["GET"])
        async def chat_page(request: Request) -> HTTPResponse:
            return response.html(self.page(request.args.get("lang")), headers=self.headers())

        @webchat.route("/<asset>", methods=["GET"])
        async def chat_asset(_: Request, asset: str) -> HTTPResponse:
            if asset not in ASSETS:
                return response.text("Not found", status=404, headers=self.headers())
            body = (PAGE_DIR / asset).read_bytes()
            return response.raw(body, content_type=ASSETS[asset], headers=self.headers())

        @webchat.route("/exit", methods=["POST"])
        async def exit_beacon(request: Request) -> HTTPResponse:
            try:
                claim = json.loads(request.body or b"{}")
            except ValueError:
                claim = {}
            claim = claim if isinstance(claim, dict) else {}
            if not secret_matches(self.key, claim.get("session_id"), claim.get("secret")):
                return response.empty(status=403, headers=self.headers())
            await self.mark_exited(claim["session_id"])
            return response.empty(headers=self.headers())
