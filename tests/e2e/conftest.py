"""A running assistant (Rasa server + action server) on free loopback ports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from bot.runner import RunSettings, running_assistant, send_message
from bot.storage.escalations import EscalationStore


@dataclass
class Conversation:
    """One person talking to the assistant over the REST channel."""

    webhook: str
    sender: str = field(default_factory=lambda: uuid.uuid4().hex)

    def say(self, text: str) -> list[dict]:
        return send_message(self.webhook, self.sender, text, timeout=30)

    def reply_text(self, text: str) -> str:
        """Send ``text``; return the replies joined as the REST channel split them."""
        return "\n\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture(scope="session")
def assistant(trained_model, tmp_path_factory) -> Iterator[RunSettings]:
    settings = RunSettings.isolated(tmp_path_factory.mktemp("var"), trained_model)
    with running_assistant(settings):
        yield settings


@pytest.fixture(scope="session")
def escalations(assistant) -> EscalationStore:
    """The escalation database the running assistant writes to."""
    return EscalationStore(assistant.database_url)


@pytest.fixture()
def conversation(assistant) -> Conversation:
    return Conversation(assistant.rest_webhook)
