"""A message that takes back the one before: "there's a man outside" / "oh wait, it's the postman".

An escalation raised by one message alone waits a minute before it reaches the duty team's queue
(``bot/storage/escalations.py``), so the person can say it was a misunderstanding. When the next
message arrives, the safety net reads the two together (the follow-up joined to the first, read
as one message: ``Turn.joined``); if, read together, they no longer call for an escalation, the
first message is read that way from then on and the escalation is withdrawn. The follow-up has
to change what the first message meant: "it's the postman lol" does, but "lol jk" after "he
touched me" does not (the harm is still said), so a child taking back a disclosure out of fear is
not taken at their word. Nor is self-harm: "I don't want to wake up" / "not doing anything, don't
worry" still needs someone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.safety.assessment import Assessment, assess
from bot.safety.evidence import Turn
from bot.safety.routes import Route
from bot.safety.signals import MessageSignals

# Self-harm is never taken back this way: "like not wake up" / "not doing anything dw" is still
# someone to take seriously.
WITHDRAWABLE = frozenset({Route.DANGER, Route.DISCLOSURE})


def _taken_back(turns: list[Turn], index: int, audience: str | None) -> list[Turn] | None:
    """Return the turns up to ``index`` read with it joined to the one before, if that withdraws."""
    joined = turns[index].joined
    if joined is None or index == 0:
        return None
    before = assess(turns[:index], audience)
    if before.route not in WITHDRAWABLE or before.evidence_turns != (index - 1,):
        return None
    previous = turns[index - 1]
    read_together = [
        *turns[: index - 1],
        Turn(MessageSignals(), previous.message_id, after=previous.after),
        replace(turns[index], signals=joined, joined=None),
    ]
    return None if assess(read_together, audience).escalates else read_together


def assess_conversation(turns: Sequence[Turn], audience: str | None = None) -> Assessment:
    """Return the safety decision, with each taken-back message read together with its follow-up.

    The decision says ``withdrawn`` when it is the latest message that took the one before back.
    """
    effective = list(turns)
    withdrawn_at = None
    for index in range(1, len(effective)):
        read_together = _taken_back(effective, index, audience)
        if read_together is not None:
            effective[: index + 1] = read_together
            withdrawn_at = index
    assessment = assess(effective, audience)
    if withdrawn_at is not None and withdrawn_at == len(effective) - 1:
        return replace(assessment, withdrawn=True)
    return assessment
