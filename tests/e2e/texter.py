"""A person texting the assistant through the fake Twilio server, and waiting for what follows."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from bot.fake_twilio import FakeTwilio, post_signed

NUMBERS = (f"+4477009{n:05d}" for n in itertools.count(100))  # Ofcom drama range
SIDS = (f"SM{n:032x}" for n in itertools.count(1))
WAIT_SECONDS = 20.0


def wait_until(condition, timeout: float = WAIT_SECONDS):
    """Return the first truthy value of ``condition()`` within ``timeout``, else its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


@dataclass
class Texter:
    """A person texting the assistant's number through (fake) Twilio."""

    webhook: str
    twilio: FakeTwilio
    number: str

    def text(self, body: str | None, sid: str | None = None) -> str:
        fields = {"MessageSid": sid or next(SIDS), "From": self.number, "To": "+447700900000"}
        if body is not None:
            fields["Body"] = body
        assert post_signed(self.webhook, fields) == 200
        return fields["MessageSid"]

    def replies(self) -> list[str]:
        return self.twilio.sent_to(self.number)

    def text_and_wait(self, body: str | None, count: int = 1) -> list[str]:
        before = len(self.replies())
        self.text(body)
        return self.wait_for_texts(before, count)

    def wait_for_texts(self, before: int, count: int = 1) -> list[str]:
        """Return the texts sent to this person after the first ``before``, once ``count`` came."""
        new = wait_until(
            lambda: self.replies()[before:] if len(self.replies()) >= before + count else []
        )
        assert new, "no text arrived"
        time.sleep(0.3)  # let the rest of the turn's messages arrive
        return self.replies()[before:]
