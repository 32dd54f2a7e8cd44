"""The language a conversation is in now: its ``language`` slot, read from the tracker store.

The channels and the console add words of their own around the bot's replies (an SMS's
numbered options, HELP and DELETE answers, handoff notices, canned replies); they use the
conversation's language, as the bot's own replies do.
"""

from __future__ import annotations

from typing import Any

from bot.content.schema import DEFAULT_LANGUAGE

LANGUAGE_SLOT = "language"


async def conversation_language(tracker_store: Any, conversation_id: str) -> str:
    """Return the conversation's language (English for a conversation not started yet)."""
    tracker = await tracker_store.retrieve(conversation_id)
    slot = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
    return str(slot or DEFAULT_LANGUAGE)
