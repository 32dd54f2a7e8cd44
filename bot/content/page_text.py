"""Words on the web chat page itself, from ``content/web/page.yml`` (review key ``page:<id>``).

The page's labels and status lines are safeguarding wording too: a frightened young person reads
"Exit" and "You are now talking to a person" as promises, so they are reviewed like replies.
Each has its Welsh (``cy``) beside the English (``text``), reviewed together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import ContentError, fingerprint

REQUIRED_PAGE_TEXTS = (
    "title",
    "heading",
    "exit_button",
    "exit_hint",
    "input_label",
    "send_button",
    "log_label",
    "bot_name",
    "worker_name",
    "you_name",
    "typing",
    "worker_typing",
    "worker_joined",
    "worker_left",
    "connecting",
    "disconnected",
    "urgent",
    "no_script",
    "too_long",
    "not_sent_yet",
    "other_language",  # the link to the page in the other language, named in that language
)
PAGE_LANGUAGES = ("en", "cy")


@dataclass(frozen=True)
class PageText:
    """One reviewed string shown on the web chat page."""

    id: str
    text: str
    sha256: str
    cy: str

    def in_language(self, language: str | None) -> str:
        """Return the text in ``language`` (English for any other)."""
        return self.cy if language == "cy" else self.text

    @property
    def review_key(self) -> str:
        """Return the key under which this text's review is recorded."""
        return f"page:{self.id}"


def parse_page_texts(raw: Any, file: Path) -> tuple[PageText, ...]:
    """Parse the page texts, requiring every text the page uses and nothing unknown."""
    if not isinstance(raw, dict) or not isinstance(raw.get("texts"), list):
        raise ContentError(f"{file.name}: needs a top-level 'texts' list")
    texts = []
    for item in raw["texts"]:
        text_id = str(item.get("id", ""))
        if text_id not in REQUIRED_PAGE_TEXTS:
            raise ContentError(f"{file.name}: unknown page text {text_id!r}")
        for key in ("text", "cy"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ContentError(f"{file.name}:{text_id}: needs a non-empty {key!r}")
        texts.append(PageText(text_id, item["text"].strip(), fingerprint(item), item["cy"].strip()))
    missing = set(REQUIRED_PAGE_TEXTS) - {t.id for t in texts}
    if missing:
        raise ContentError(f"{file.name}: missing page texts {sorted(missing)}")
    return tuple(texts)
