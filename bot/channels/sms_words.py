"""What an SMS conversation says beyond the bot's replies, and the words people text back.

The commands (STOP, START, HELP, DELETE, and HELP and DELETE in Welsh), the answers to "is it
safe to text you?", the numbered options that stand for quick replies, and the SMS wording of
content items in the conversation's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

from bot.content.catalogue import cached_catalogue
from bot.content.domain_builder import SMS_OUTPUT_CHANNEL
from bot.paths import content_dir

OPT_OUT_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
# The commands in Welsh (the Welsh help text names them): their answers come in Welsh.
WELSH_COMMANDS = {"CYMORTH": "HELP", "DILEU": "DELETE"}
OPT_IN_WORDS = {"START", "UNSTOP", "YES"}
# The safe-to-text question's options ("1" safe, "2" not safe) and the words that answer it.
SAFE_TO_TEXT_OPTIONS = ["sms:safe_to_text", "sms:not_safe_to_text"]
SAFE_TO_TEXT_ANSWERS = {
    "YES": SAFE_TO_TEXT_OPTIONS[0],
    "IE": SAFE_TO_TEXT_OPTIONS[0],
    "NO": SAFE_TO_TEXT_OPTIONS[1],
    "NA": SAFE_TO_TEXT_OPTIONS[1],
    "NAGE": SAFE_TO_TEXT_OPTIONS[1],
}


def sms_wording(language: str) -> Callable[[str], str]:
    """Return the SMS wording of content items in ``language``."""
    catalogue = cached_catalogue(content_dir())
    return lambda item_id: catalogue.text(item_id, language, None, SMS_OUTPUT_CHANNEL)


class SmsCollector(CollectingOutputChannel):
    """Collect a turn's replies under the ``sms`` output channel (for the SMS wording)."""

    @classmethod
    def name(cls) -> str:
        """Return the output channel name that selects the SMS variants."""
        return SMS_OUTPUT_CHANNEL


def with_numbered_options(text: str, buttons: list[dict[str, Any]], prompt: str) -> str:
    """Return ``text`` followed by its quick replies as numbered options."""
    if not buttons:
        return text
    options = "\n".join(f"{n} {b['title']}" for n, b in enumerate(buttons, start=1))
    return f"{text}\n{prompt}\n{options}"
