"""Rasa's conversation locks in Redis, shared by several server processes, taken atomically.

Rasa processes one message per conversation at a time, holding the conversation's lock while it
loads, predicts and saves. One process keeps its locks in memory; several server processes
(``bot run --workers N``) must share them, or two workers would answer the same person at once
and one turn's events would overwrite the other's. Rasa's own ``RedisLockStore`` reads a lock,
changes it and writes it back in separate commands, so two workers taking a ticket at the same
moment can both get ticket 0 and both go ahead. This store does each read-change-write as one
Redis transaction (``WATCH``/``MULTI``, retried when the lock changed underneath).

``bot run`` sets ``BOT_LOCK_STORE`` to this class when ``BOT_REDIS_URL`` is set, and to Rasa's
``in_memory`` otherwise (``endpoints.yml``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline

REDIS_URL_SETTING = "BOT_REDIS_URL"
LOCK_STORE_SETTING = "BOT_LOCK_STORE"
KEY_PREFIX = "cseassistant"  # Rasa wants it alphanumeric
Result = TypeVar("Result")
# a change to a lock: given the stored lock (None if there is none), the new lock and a result
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Result]]


def lock_store_type(redis_url: str | None) -> str:
    """Return the ``lock_store`` type for ``endpoints.yml``: this store with Redis, else memory."""
    return f"{__name__}.AtomicRedisLockStore" if redis_url else "in_memory"


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with every change to a lock made in one transaction."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Connect to ``redis://[user:password@]host[:port][/db]`` (the endpoint's ``url``)."""
        parts = urlsplit(endpoint_config.url or "")
        super().__init__(
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 0),
            username=parts.username or None,
            password=parts.password or None,
            use_ssl=parts.scheme == "rediss",
            key_prefix=KEY_PREFIX,
        )

    def _change(
        self,
        conversation_id: str,
        change: Callable[[TicketLock | None], tuple[TicketLock | None, Result]],
    ) -> Result:
        """Apply ``change`` to the stored lock atomically; it returns the new lock and a result.

        A new lock of None deletes the stored one.
        """
        key = self.key_prefix + conversation_id
        outcome: list[Result] = []

        def attempt(pipe: Pipeline) -> None:
            raw = pipe.get(key)
            lock, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            outcome[:] = [result]

        self.red.transaction(attempt, key)
        return outcome[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket for the conversation (creating its lock) in one transaction."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, issue)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (a worker that died while holding one) in one transaction."""

        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give up a ticket, deleting the lock if nobody else waits, in one transaction."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)
