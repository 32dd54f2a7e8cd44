"""One turn, few bubbles: a turn's replies are gathered and sent as one or two messages.

Rasa sends each response the moment an action produces it, and its REST channel even splits
every paragraph into a message of its own, so a disclosure arrived as five or six bubbles and a
help listing as eleven. Every channel's output now goes through ``TurnOutput`` for the length of
a turn; at the end of the turn its replies are grouped and sent:

- consecutive texts join into one message, a blank line between them;
- quick replies end the message they belong to (they stay with the words they answer);
- urgent help ("call 999 now") is a message of its own, so it is never buried, and so is the
  test-version notice;
- anything that is not text (an image, custom JSON) is passed on as it came.

Each bubble names the content items it was made of (``responses``); a collecting channel (REST,
SMS) keeps that list with the message, so tests and tools can tell which reviewed answer came.

The turn's replies are sent even if the turn fails part way, and only after Rasa has saved the
turn (so an escalation's reference is never shown before the escalation is committed).
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel

URGENT_RESPONSES = frozenset(
    {
        "utter_danger_now",
        "utter_danger_now_other",
        "utter_self_harm_now",
        "utter_self_harm_other_now",
    }
)
OWN_BUBBLE = URGENT_RESPONSES | {"utter_draft_content_notice"}
REPLY_KEYS = ("buttons", "quick_replies")
NOT_TEXT_KEYS = ("image", "attachment", "custom", "elements")


def _names(message: dict[str, Any]) -> list[str]:
    """Return the content id of the response a message came from, if it says."""
    name = message.get("utter_action")
    return [str(name)] if name else []


def group_turn(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a turn's messages grouped into bubbles (see the module docstring)."""
    bubbles: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for message in messages:
        text = str(message.get("text") or "").strip()
        alone = message.get("utter_action") in OWN_BUBBLE
        if alone or any(message.get(key) for key in NOT_TEXT_KEYS) or not text:
            if current:
                bubbles.append(current)
            current = None
            if text or any(message.get(key) for key in (*REPLY_KEYS, *NOT_TEXT_KEYS)):
                bubbles.append(dict(message, responses=_names(message)))
            continue
        if current is None:
            current = dict(message, text=text, responses=_names(message))
        else:
            current["text"] = f"{current['text']}\n\n{text}"
            current["responses"] = [*current["responses"], *_names(message)]
        if any(message.get(key) for key in REPLY_KEYS):
            for key in REPLY_KEYS:
                current[key] = message.get(key)
            bubbles.append(current)
            current = None
    if current:
        bubbles.append(current)
    return bubbles


class TurnOutput(OutputChannel):
    """Hold a turn's replies for ``channel`` and send them grouped when the turn ends.

    After ``flush`` it passes messages straight through (nothing sent later is ever held back).
    """

    def __init__(self, channel: OutputChannel) -> None:
        """Wrap the channel the turn's message came from."""
        self.channel = channel
        self.pending: list[tuple[str, dict[str, Any]]] = []
        self.flushed = False

    def name(self) -> str:
        """Return the wrapped channel's name (it selects the web or SMS wording)."""
        return self.channel.name()

    def __getattr__(self, attribute: str) -> Any:
        """Reach the wrapped channel's own methods (a duty worker's message, a status)."""
        return getattr(self.channel, attribute)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Hold one reply until the end of the turn."""
        if self.flushed:
            await self.channel.send_response(recipient_id, message)
        else:
            self.pending.append((recipient_id, dict(message)))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Hold a plain text, as ``send_response`` does."""
        await self.send_response(recipient_id, {"text": text, **kwargs})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Hold a text with quick replies, as ``send_response`` does."""
        await self.send_response(recipient_id, {"text": text, "buttons": buttons, **kwargs})

    async def flush(self) -> None:
        """Send the held replies, grouped, to each recipient in the order they were made."""
        self.flushed = True
        pending, self.pending = self.pending, []
        recipients = list(dict.fromkeys(recipient for recipient, _ in pending))
        for recipient in recipients:
            messages = [m for r, m in pending if r == recipient]
            for bubble in group_turn(messages):
                await deliver(self.channel, recipient, bubble)


async def deliver(channel: OutputChannel, recipient_id: str, message: dict[str, Any]) -> None:
    """Send one bubble; a collecting channel (REST, SMS) keeps it whole, paragraphs and all."""
    if isinstance(channel, CollectingOutputChannel) and not any(
        message.get(key) for key in ("quick_replies", *NOT_TEXT_KEYS)
    ):
        whole = channel._message(
            recipient_id, text=message.get("text"), buttons=message.get("buttons")
        )
        await channel._persist_message({**whole, "responses": message.get("responses", [])})
        return
    await channel.send_response(recipient_id, message)
