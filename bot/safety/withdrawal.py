"""A message that takes back the one before: "there's a man outside" / "oh wait, it's the postman".

An escalation raised by one message alone, or two in a row (``RAISED_TOGETHER`` in
``bot/safety/assessment.py``), waits a minute before it reaches the duty team's queue
(``bot/storage/escalations.py``), so the person can say it was a misunderstanding. When one of
the next two messages arrives, the safety net reads it together with the messages that raised
the escalation (the follow-up joined to them, read as one message: ``Turn.joined``); if, read
together, they no longer call for an escalation, they are read that way from then on and the
escalation is withdrawn (once it has reached the queue, the person is told it stays with the duty
team). The follow-up has to change what the first message meant: "it's the postman lol" does,
but "lol jk" after "he touched me" does not (the harm is still said), so a child taking back a
disclosure out of fear is not taken at their word; an alarm told in two messages is taken back
only by a follow-up that says why (an explanation: a false alarm, a figure of speech, who someone
was), never by one that merely dilutes the content model's reading. Self-harm is taken back
only when the follow-up shows the words were a figure of speech or a mishap ("I want to die" /
"of embarrassment"): "I don't want to wake up" / "not doing anything, don't worry" still needs
someone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.safety.assessment import Assessment, assess
from bot.safety.evidence import SALIENT_RISKS, Turn, tells_a_story
from bot.safety.indicators import EXPLAINING, Kind
from bot.safety.routes import Route
from bot.safety.signals import MessageSignals

WITHDRAWABLE = frozenset({Route.DANGER, Route.DISCLOSURE, Route.SELF_HARM})
# Self-harm is taken back only by a figure of speech or a mishap: "like not wake up" / "not doing
# anything dw" is still someone to take seriously.
SELF_HARM_TAKEN_BACK_BY = frozenset({"figurative", "mishap"})
# Warning signs that, told after an alarm with nothing that explains it, add to it.
ADDS_TO_AN_ALARM = SALIENT_RISKS | {"met_online", "gifts"}
# What takes back an alarm told in two messages: an explanation other than a figure of speech.
TWO_MESSAGES_TAKEN_BACK_BY = EXPLAINING - {"figurative"}
# How many messages later a follow-up may still take an escalation back.
TAKEN_BACK_WITHIN = 2


def raised_together(decision: dict[str, Any]) -> bool:
    """Return whether a decision recorded in the ``safety`` slot may be taken back by a follow-up.

    A decision recorded before the slot said so (by an older server) may when one message raised
    it.
    """
    if "raised_together" in decision:
        return bool(decision["raised_together"])
    return len(decision.get("evidence_message_ids") or ()) == 1


def _taken_back(turns: list[Turn], index: int, audience: str | None) -> list[Turn] | None:
    """Return the turns up to ``index`` read with it joined to the messages it takes back.

    The messages taken back are the ones that raised the escalation, few enough in a row
    (``Assessment.raised_together``), the last of them the one before or the one before that
    ("a man is outside" / "he's looking at our windows" / "oh, it's the postman").
    """
    joined = turns[index].joined
    if joined is None or index == 0:
        return None
    before = assess(turns[:index], audience)
    if before.route not in WITHDRAWABLE or not before.raised_together:
        return None
    first, trigger = before.evidence_turns[0], before.evidence_turns[-1]
    if not index - TAKEN_BACK_WITHIN <= trigger < index:
        return None
    if before.route is Route.SELF_HARM and not SELF_HARM_TAKEN_BACK_BY & set(joined.indicators):
        return None
    if trigger > first and not TWO_MESSAGES_TAKEN_BACK_BY & set(turns[index].signals.indicators):
        # told in two messages: only a follow-up that says why takes it back, and a figure of
        # speech does not say why ("ma un gyda cyllell ... smo fi'n cael gadael" / "paid gweud
        # wrth mam ma hi'n mynd i ladd fi" is still a child held at knifepoint)
        return None
    if _tells_more(turns[index], audience):
        return None
    read_together = [
        *turns[:first],
        *(Turn(MessageSignals(), t.message_id, after=t.after) for t in turns[first : trigger + 1]),
        *turns[trigger + 1 : index],
        replace(turns[index], signals=joined, joined=None),
    ]
    return None if assess(read_together, audience).escalates else read_together


def _tells_more(follow_up: Turn, audience: str | None) -> bool:
    """Return whether a follow-up, read on its own, adds to the alarm rather than explaining it.

    "i dont know where i am" / "a guy i met online picked me up and drove for ages": read as one,
    the content model's alarm is diluted by the longer text, yet the second message leans towards
    harm itself and says nothing that changes what the first meant (no figure of speech, visitor,
    family or story). So does a warning sign with nothing that explains: "a man is outside our
    house" / "I've been talking to him on snap for weeks, I'm 13".
    """
    if follow_up.signals.of_kind(Kind.MODIFIER):
        return False
    if follow_up.signals.of_kind(Kind.RISK) & ADDS_TO_AN_ALARM:
        return True
    return assess([follow_up], audience).route is not Route.NONE


def assess_conversation(turns: Sequence[Turn], audience: str | None = None) -> Assessment:
    """Return the safety decision, with each taken-back message read together with its follow-up.

    The decision says ``withdrawn`` when it is the latest message that took the one before back.
    In the next two messages after one that explained an alarm away (a visitor, a figure of
    speech, family, a mishap), only the reviewed patterns show harm: the content model read
    "theres a man outside" / "oh wait its the window cleaner" / "hes been coming for years my
    mum pays him every month" as a disclosure of its own. So after a film, game or book is told
    ("watched the conjuring at my mates" / "every noise i hear i think someones in the house"),
    until a message says the story was the writer's own ("the story was about herself").
    """
    effective = list(turns)
    withdrawn_at = explained_at = None
    for index in range(1, len(effective)):
        read_together = _taken_back(effective, index, audience)
        if read_together is not None:
            effective[: index + 1] = read_together
            withdrawn_at = index
            if EXPLAINING & set(turns[index].signals.indicators):
                explained_at = index
            continue
        if tells_a_story(turns[index - 1].signals):
            explained_at = index - 1
        if "confirms_self" in turns[index].signals.indicators:
            explained_at = None  # "she said the story was about herself": what follows is real
        if explained_at is not None and index - explained_at <= TAKEN_BACK_WITHIN:
            effective[index] = replace(effective[index], after_explained=True)
    assessment = assess(effective, audience)
    if withdrawn_at is not None and withdrawn_at == len(effective) - 1:
        return replace(assessment, withdrawn=True)
    return assessment
