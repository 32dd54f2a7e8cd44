"""Which conversations duty workers hold, as every user message asks (read once per short while)."""

from __future__ import annotations

import time
from functools import lru_cache

from bot.storage.escalations import EscalationStore


class HeldConversations:
    """The conversations duty workers hold, read again at most every ``ttl`` seconds.

    Every user message asks whether its conversation is held; one query per ``ttl`` answers
    all of them. The console, in the same process, marks the set stale whenever it claims or
    lets go, so its own changes count at once; another process's within ``ttl``.
    """

    def __init__(self, store: EscalationStore, ttl: float = 0.5) -> None:
        """Read from ``store``, keeping each answer for ``ttl`` seconds."""
        self.store = store
        self.ttl = ttl
        self.ids: set[str] = set()
        self._read_at = float("-inf")

    @property
    def stale(self) -> bool:
        """Return whether the set must be read again before it is used."""
        return time.monotonic() - self._read_at >= self.ttl

    def refresh(self) -> None:
        """Read the set from the database."""
        ids = self.store.held_conversations()
        self.ids, self._read_at = ids, time.monotonic()

    def changed(self) -> None:
        """Mark the set stale (a claim was made, moved or ended)."""
        self._read_at = float("-inf")


@lru_cache(maxsize=1)
def held_conversations() -> HeldConversations:
    """Return the process's view of held conversations (``BOT_DATABASE_URL``)."""
    return HeldConversations(EscalationStore())
