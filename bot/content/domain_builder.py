"""Turn content items into Rasa responses, so the trained model carries only reviewed words.

Selection must be deterministic: Rasa picks at random among variations that match equally, so
for every (language, audience, channel) exactly one variation matches. Rasa prefers, in order,
conditional variations for the output channel, default ones for that channel, conditional ones
without a channel, then default ones; the ``any`` English wording is always emitted as the
default, so a response can never come out empty whatever the slots hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from bot.content.catalogue import Catalogue
from bot.content.schema import ANY_AUDIENCE, AUDIENCES, DEFAULT_LANGUAGE, ContentItem, Variant
from bot.paths import PROJECT_ROOT

SMS_OUTPUT_CHANNEL = "sms"
QUICK_REPLY_PREFIX = "qr:"


def quick_reply_payload(intent: str) -> str:
    """Return the payload a quick reply sends; the QuickReplyClassifier maps it to ``intent``."""
    return f"{QUICK_REPLY_PREFIX}{intent}"


def _rasa_variation(
    variant: Variant, channel: str, condition: list[dict[str, Any]] | None
) -> dict[str, Any]:
    variation: dict[str, Any] = {"text": variant.text(channel)}
    if variant.buttons:
        variation["buttons"] = [
            {"title": b.title, "payload": quick_reply_payload(b.intent)} for b in variant.buttons
        ]
    if channel == "sms":
        variation["channel"] = SMS_OUTPUT_CHANNEL
    if condition:
        variation["condition"] = condition
    return variation


def response_variations(item: ContentItem) -> list[dict[str, Any]]:
    """Return the Rasa variations for one item: defaults plus one conditional per difference."""
    default = item.variant_for(DEFAULT_LANGUAGE, ANY_AUDIENCE)
    languages = item.languages()
    variations = []
    for language in languages:
        for audience in (None, *AUDIENCES):
            variant = item.variant_for(language, audience)
            if variant is default:
                continue
            condition = [{"type": "slot", "name": "audience", "value": audience}]
            if len(languages) > 1:
                condition.insert(0, {"type": "slot", "name": "language", "value": language})
            variations += [_rasa_variation(variant, ch, condition) for ch in ("web", "sms")]
    variations += [_rasa_variation(default, ch, None) for ch in ("web", "sms")]
    return variations


def build_responses(catalogue: Catalogue) -> dict[str, list[dict[str, Any]]]:
    """Return the ``responses:`` section of the domain, built from every ``utter_*`` item."""
    return {
        item.id: response_variations(item)
        for item in sorted(catalogue.items.values(), key=lambda i: i.id)
        if item.is_response
    }


def write_built_domain(catalogue: Catalogue, out_dir: Path) -> Path:
    """Write ``domain.yml`` and the generated ``responses.yml`` into ``out_dir``; return it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "domain.yml", out_dir / "domain.yml")
    header = "# Generated from content/ by `bot train`. Do not edit: edit content/ instead.\n"
    body = yaml.safe_dump(
        {"version": "3.1", "responses": build_responses(catalogue)},
        sort_keys=False,
        allow_unicode=True,
        width=1000,
    )
    target = out_dir / "responses.yml"
    new_text = header + body
    if not target.exists() or target.read_text(encoding="utf-8") != new_text:
        target.write_text(new_text, encoding="utf-8")
    return out_dir
