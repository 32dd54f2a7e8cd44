"""Who a web chat socket is: its conversation, proven by a secret, and the messages it sent.

The server issues each conversation id with a secret (an HMAC of the id under the server key);
:func:`choose_conversation` lets a socket resume only a conversation it holds the secret of, and
limits how many new ones one connection may start. :func:`received_messages` takes each of the
page's messages once, however often a reconnect sends it again (and to whichever server worker:
with several, the ids are kept in Redis). The socket.io handlers that use them are in
``bot/channels/webchat.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import time
from collections import OrderedDict
from typing import Any

import redis
import redis.asyncio

logger = logging.getLogger(__name__)
# a connection may start this many new conversations a minute (each could open an escalation)
NEW_CONVERSATIONS_PER_WINDOW, NEW_CONVERSATION_WINDOW = 3, 60.0
CLIENT_ID = re.compile(r"[0-9a-f]{32}")  # the page's id for a message, to confirm and dedupe
CONVERSATION_ID = re.compile(r"[0-9a-f]{32}")  # as choose_conversation makes them
RECENT_CLIENT_IDS = 100  # per conversation: enough for any resend after a reconnect
RECEIVED_SECONDS = 3600  # with several workers, each id is kept in Redis this long
RECEIVED_KEY_PREFIX = "cseassistant:webchat-received:"
PRESENCE_SECONDS = 60  # a page counts as connected this long after its worker last said so
PRESENCE_KEY_PREFIX = "cseassistant:webchat-present:"


def conversation_secret(key: bytes, conversation_id: str) -> str:
    """Return the secret that proves a client was given ``conversation_id`` by this server."""
    return hmac.new(key, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()


def secret_matches(key: bytes, conversation_id: Any, secret: Any) -> bool:
    """Return whether ``secret`` is the one issued with ``conversation_id`` (constant time)."""
    if not isinstance(conversation_id, str) or not isinstance(secret, str):
        return False
    return hmac.compare_digest(conversation_secret(key, conversation_id), secret)


def server_key() -> bytes:
    """Return the key for conversation secrets: ``BOT_WEBCHAT_KEY`` (hex) or a fresh random one.

    A fresh key means conversations cannot be resumed after the server restarts; a page then
    starts a new conversation, which is the private choice.
    """
    configured = os.environ.get("BOT_WEBCHAT_KEY", "")
    return bytes.fromhex(configured) if configured else secrets.token_bytes(32)


def choose_conversation(
    key: bytes, claim: dict[str, Any], previous: str | None, started: list[float], now: float
) -> tuple[str, str, bool, list[float]]:
    """Return the conversation a socket joins: ``(id, secret, resumed, times it started one)``.

    The one claimed with its secret is resumed; otherwise a new one starts, unless this
    connection has started ``NEW_CONVERSATIONS_PER_WINDOW`` in the last minute: one connection
    starting conversation after conversation (each could open an escalation) goes on in its
    current one, so what it says reaches the duty team with the escalation already open.
    """
    recent = [t for t in started if now - t < NEW_CONVERSATION_WINDOW]
    conversation_id, secret = claim.get("session_id"), claim.get("secret")
    if secret_matches(key, conversation_id, secret):
        return str(conversation_id), str(secret), True, recent
    if previous and len(recent) >= NEW_CONVERSATIONS_PER_WINDOW:
        logger.warning("A web chat connection started too many conversations: kept one")
        return previous, conversation_secret(key, previous), True, recent
    fresh = secrets.token_hex(16)
    return fresh, conversation_secret(key, fresh), False, [*recent, now]


class ReceivedMessages:
    """The page's ids of the latest messages each conversation sent, to take each once.

    Kept in memory for the most recent conversations only: a resend comes within seconds of a
    reconnect, and the escalation it might open is keyed by the same message id anyway.
    """

    def __init__(self, keep: int = RECENT_CLIENT_IDS, conversations: int = 10_000) -> None:
        """Remember up to ``keep`` ids for each of up to ``conversations`` conversations."""
        self.keep = keep
        self.conversations = conversations
        self._seen: OrderedDict[str, OrderedDict[str, None]] = OrderedDict()

    async def first_time(self, conversation_id: str, client_id: str) -> bool:
        """Record ``client_id``; return False if this conversation sent it before."""
        seen = self._seen.setdefault(conversation_id, OrderedDict())
        self._seen.move_to_end(conversation_id)
        if len(self._seen) > self.conversations:
            self._seen.popitem(last=False)
        if client_id in seen:
            return False
        seen[client_id] = None
        if len(seen) > self.keep:
            seen.popitem(last=False)
        return True


class SharedReceivedMessages:
    """:class:`ReceivedMessages` for several server workers: each id taken once, in Redis.

    A page that reconnects may land on another worker and send its message again; one ``SET``
    with ``NX`` decides which worker takes it. If Redis cannot answer, the message is taken
    (answered twice at worst; an escalation it opens is keyed by its message id anyway).
    """

    def __init__(self, redis_url: str, seconds: int = RECEIVED_SECONDS) -> None:
        """Keep each id in the Redis at ``redis_url`` for ``seconds``."""
        self.client = redis.asyncio.from_url(redis_url)
        self.seconds = seconds

    async def first_time(self, conversation_id: str, client_id: str) -> bool:
        """Record ``client_id``; return False if this conversation sent it before."""
        key = f"{RECEIVED_KEY_PREFIX}{conversation_id}:{client_id}"
        try:
            return bool(await self.client.set(key, b"1", nx=True, ex=self.seconds))
        except redis.RedisError:
            logger.warning("Redis did not answer: a web chat message is taken unchecked")
            return True


def received_messages(redis_url: str | None) -> ReceivedMessages | SharedReceivedMessages:
    """Return what takes each web chat message once: in Redis when it is configured."""
    return SharedReceivedMessages(redis_url) if redis_url else ReceivedMessages()


class SharedPresence:
    """Which conversations have a page connected to any server worker (in Redis).

    Each conversation has a sorted set of its pages' socket ids, scored by when their presence
    runs out. The worker holding a socket adds it when it joins, renews it every
    ``PRESENCE_SECONDS / 3`` and removes it when it leaves; a worker that dies leaves scores
    that run out within ``PRESENCE_SECONDS``. Used from the console (threads), so synchronous.
    """

    def __init__(self, redis_url: str) -> None:
        """Use the Redis at ``redis_url``."""
        self.client = redis.Redis.from_url(redis_url)

    def here(self, conversation_id: str, sids: list[str], now: float | None = None) -> None:
        """Record that the sockets ``sids`` show ``conversation_id`` now."""
        until = (now if now is not None else time.time()) + PRESENCE_SECONDS
        key = PRESENCE_KEY_PREFIX + conversation_id
        with self.client.pipeline() as pipeline:
            pipeline.zadd(key, dict.fromkeys(sids, until))
            pipeline.zremrangebyscore(key, "-inf", until - 2 * PRESENCE_SECONDS)
            pipeline.expire(key, 2 * PRESENCE_SECONDS)
            pipeline.execute()

    def gone(self, conversation_id: str, sid: str) -> None:
        """Record that the socket ``sid`` no longer shows ``conversation_id``."""
        self.client.zrem(PRESENCE_KEY_PREFIX + conversation_id, sid)

    def connected(self, conversation_id: str, now: float | None = None) -> bool:
        """Return whether a page shows ``conversation_id`` on any worker (False if unknown)."""
        moment = now if now is not None else time.time()
        try:
            return bool(self.client.zcount(PRESENCE_KEY_PREFIX + conversation_id, moment, "+inf"))
        except redis.RedisError:
            logger.warning("Redis did not answer: a web chat page is shown as not connected")
            return False
