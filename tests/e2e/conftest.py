"""A running assistant (Rasa server + action server) on free loopback ports."""

from __future__ import annotations

import json
import socket
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from bot.runner import RunSettings, running_assistant
from bot.storage.escalations import EscalationStore


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Conversation:
    """One person talking to the assistant over the REST channel."""

    webhook: str
    sender: str = field(default_factory=lambda: uuid.uuid4().hex)

    def say(self, text: str) -> list[dict]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(self.webhook, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def reply_text(self, text: str) -> str:
        """Send ``text``; return the replies joined as the REST channel split them."""
        return "\n\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture(scope="session")
def assistant(trained_model, tmp_path_factory) -> Iterator[RunSettings]:
    var = tmp_path_factory.mktemp("var")
    settings = RunSettings(
        rasa_port=free_port(),
        actions_port=free_port(),
        profile="wiltshire",
        model=trained_model,
        tracker_db=var / "tracker.db",
        database_url=f"sqlite:///{var / 'assistant.db'}",
    )
    with running_assistant(settings):
        yield settings


@pytest.fixture(scope="session")
def escalations(assistant) -> EscalationStore:
    """The escalation database the running assistant writes to."""
    return EscalationStore(assistant.database_url)


@pytest.fixture()
def conversation(assistant) -> Conversation:
    return Conversation(assistant.rest_webhook)
