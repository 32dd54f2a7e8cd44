"""Review keys of wording: each language of an item is reviewed on its own.

English is reviewed under the item's id and any other language under ``id@language``, each with
the SHA-256 of that language's wording and the item's sources, so a Welsh-speaking reviewer signs
off the Welsh and an edit to one language leaves the other's review standing.
"""

from __future__ import annotations

from dataclasses import asdict

from bot.content.schema import DEFAULT_LANGUAGE, ContentItem, fingerprint


def review_key(item_id: str, language: str) -> str:
    """Return the review key of an item's wording in ``language`` (the id itself for English)."""
    return item_id if language == DEFAULT_LANGUAGE else f"{item_id}@{language}"


def split_review_key(key: str) -> tuple[str, str]:
    """Return the item id and language a wording review key stands for."""
    item_id, _, language = key.partition("@")
    return item_id, language or DEFAULT_LANGUAGE


def review_keys(item: ContentItem) -> dict[str, str]:
    """Return a review key per language ``item`` is worded in, with that wording's SHA-256."""
    return {
        review_key(item.id, language): fingerprint(
            {
                "sources": list(item.sources),
                "variants": [asdict(v) for v in item.variants if v.language == language],
            }
        )
        for language in item.languages()
    }
