"""The conversation-level safety decision: what the conversation so far shows, and how urgent.

Each message contributes signals (``bot/safety/signals.py``); this module weighs them across
every turn of the conversation, so an age given in the second message and a request for secrecy
in the fourth count together. The rules, in the order they apply:

- **Only real situations count.** A general question with no first person ("what is
  grooming?"), a hypothetical ("what if someone has your pics?"), "for a school project", a
  figure of speech or a story contributes no harm (figures and stories are dropped when the
  message is read). After the person says they were just asking, earlier weak signs stop
  counting; clear harm always counts.
- **Harm** is abuse or exploitation indicated: a reviewed harm pattern, a combination of warning
  signs that amounts to it (an adult much older than a child plus secrecy, images, gifts, a
  meeting or a place to stay; images sent plus a threat or a demand for money; a debt plus a
  threat), or the route classifier sure of it with at least one pattern cue in the message.
- **Danger (priority 1)** needs harm *and* it happening now or imminently (in the last two
  messages), or being held, a weapon with a threat, someone outside now with a threat or fear,
  someone armed while the writer hides or begs for help, a threat to kill, a child missing now
  with known risk, or "I am not safe". A word of time on its own ("tonight", "right now") is
  never danger.
- **Self-harm and suicide** are their own route: priority 1 for suicidal intent or harm
  happening now (an overdose, cutting now, bleeding), priority 2 otherwise.
- **Concern** is an adult, or a young person about someone else, describing warning signs about
  a child without clear harm: the routes, and an escalation only if they ask.
- **One weak signal** gets the gentle check question, once; "help me" or "he's got a knife" on
  its own gets "are you safe right now?". A message in a language the bot does not speak gets
  an honest reply.

Who it is about comes from the victim of the latest harm ("touched me", "touched her"), else the
people the conversation names ("my mate", "my daughter", "a pupil"), else who is writing.

The module is a little over 400 lines on purpose: the rules above are read in order by ``assess``
and a reviewer checks them against this list in one place; the evidence they read is gathered in
``bot/safety/evidence.py`` and the taking back of an escalation in ``bot/safety/withdrawal.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.safety.evidence import (
    CHILD_AGE_LIMIT,
    SALIENT_RISKS,
    SEVERE_URGENCY,
    TIME_WORDS,
    Evidence,
    Turn,
    gather,
)
from bot.safety.language import OTHER
from bot.safety.routes import ESCALATING_ROUTES, Priority, Route, Subject
from bot.safety.signals import THIRD_PERSON

RECENT_TURNS = 2
ADULT_AGE = 18

GROOMING_SIGNS = frozenset(
    {
        "secrecy",
        "image_request",
        "images_sent",
        "sexual_talk",
        "sexual_contact",
        "gifts",
        "money",
        "substances",
        "place_to_stay",
        "meet_up",
        "picked_up",
        "pressure",
        "control",
        "unease",
        "affection",
        "taken_somewhere",
        "private_contact",
        "missing",
    }
)
REWARDS = frozenset({"gifts", "money"})
# Someone older, said vaguely ("an older guy", "a man", "he is 27" with no child's age given).
VAGUE_OLDER = frozenset({"older_person", "adult_mention", "child_with_adult", "trusted_adult"})
# Any one of these with an adult in a position of trust (a teacher, a step-parent) is harm.
TRUST_BREACHES = frozenset({"unease", "sexual_talk", "secrecy", "image_request", "sexual_contact"})
YOUNGEST_TO_ASK_ABOUT = 13
# These are danger with harm, a salient warning sign or someone older involved.
SITUATIONAL_URGENCY = frozenset(
    {"present_threat", "injury", "distress_now", "missing_now", "lost_now", "kill_threat"}
)
# A plea for help, being lost, "he is going to kill me" or "he has got a knife" with nothing
# else: asked "are you safe?".
UNEXPLAINED_URGENCY = frozenset({"help_now", "lost_now", "kill_threat", "armed"})
UNEXPLAINED_THREATS = frozenset({"kill_threat", "armed"})
# A child missing, someone held, or someone outside or on the way stays so until the person says
# they are safe (the facts that make it danger may come two or more messages later).
LASTING = frozenset({"missing_now", "held", "present_threat"})
# "I'm meeting someone tonight" is still tonight when the facts arrive three messages later.
MEETINGS = frozenset({"meet_up", "picked_up"})
# What makes a situation now (someone outside, hiding) danger; not "a man": in "a man is outside
# my house" the same words say both.
SITUATION_CONTEXT = (SALIENT_RISKS | VAGUE_OLDER | {"substances"}) - {"adult_mention"}
IMAGE_LEVERAGE = frozenset({"threat", "money", "pressure", "older_person", "debt", "fear"})
IMMEDIATE = frozenset(
    {"now", "imminent", "present_threat", "held", "injury", "missing_now", "distress_now"}
)
WRITER_DEFAULT_SUBJECT = {
    "parent": Subject.OWN_CHILD,
    "carer": Subject.CHILD_IN_CARE,
    "professional": Subject.CHILD_AT_WORK,
    "business": Subject.CHILD_AT_WORK,
}
ADULT_WRITERS = frozenset(WRITER_DEFAULT_SUBJECT)
# An alarm told in at most this many messages in a row can be taken back by the next
# (``bot/safety/withdrawal.py``); told in two, only by a follow-up that says why ("a man has been
# outside for an hour" / "he's writing things down" / "false alarm, it's the boiler man"). Two
# taken back by any follow-up whose reading together no longer escalated lost a held-out danger
# conversation (2026-12-06); with an explanation required it loses none there.
RAISED_TOGETHER = 2
CARED_FOR = frozenset({Subject.OWN_CHILD, Subject.OTHER_CHILD, Subject.CHILD_AT_WORK})


@dataclass(frozen=True)
class Assessment:
    """The safety decision for the conversation so far, and the evidence behind it."""

    route: Route = Route.NONE
    priority: int | None = None
    subject: Subject = Subject.UNKNOWN
    indicators: tuple[str, ...] = ()
    evidence_turns: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()
    withdrawn: bool = False  # the latest message took back the escalation the one before raised

    @property
    def escalates(self) -> bool:
        """Return whether this decision opens an escalation at once."""
        return self.route in ESCALATING_ROUTES

    @property
    def raised_together(self) -> bool:
        """Return whether few enough messages in a row raised it for a follow-up to take it back."""
        turns = self.evidence_turns
        return 1 <= len(turns) <= RAISED_TOGETHER and turns[-1] - turns[0] == len(turns) - 1

    def as_slot(self, message_ids: Sequence[str | None] = ()) -> dict[str, Any]:
        """Return the decision as the ``safety`` slot value, with the evidence message ids."""
        ids = [message_ids[i] for i in self.evidence_turns if i < len(message_ids)]
        return {
            "route": self.route.value,
            "priority": self.priority,
            "subject": self.subject.value,
            "indicators": list(self.indicators),
            "evidence_message_ids": [i for i in ids if i],
            "reasons": list(self.reasons),
            "withdrawn": self.withdrawn,
            "raised_together": self.raised_together,
        }


def _young_age(evidence: Evidence) -> int | None:
    ages = [a for a in evidence.child_ages if a <= CHILD_AGE_LIMIT]
    if evidence.writer_age is not None and evidence.writer_age <= CHILD_AGE_LIMIT:
        ages.append(evidence.writer_age)
    return min(ages) if ages else None


def _adult_with_child(evidence: Evidence) -> bool:
    """Return whether an adult is involved with a child, on the conversation's own words.

    Ages given for both (a gap the law or guidance would question), an adult with a child seen
    at work ("a man checked in with a young girl"), or a child's age up to 15 given with someone
    older named ("she is 14", "a group of older men").
    """
    risk = set(evidence.risk)
    if "child_with_adult" in risk:
        return True
    child = _young_age(evidence)
    if child is None:
        return False
    if child <= 15 and risk & {"older_person", "adult_mention"}:
        return True
    if not evidence.other_ages:
        return False
    other = max(evidence.other_ages)
    return (
        (other >= ADULT_AGE and child <= 15)
        or (other - child >= 5 and child <= CHILD_AGE_LIMIT)
        or (other - child >= 4 and child <= 13)
    )


def _distinct(signs: set[str]) -> int:
    """Return how many signs there are: "he gives me money" is one, gifts and money count once."""
    return len(signs - REWARDS) + bool(signs & REWARDS)


def _combined_harm(evidence: Evidence) -> list[str]:
    """Return the harms that warning signs add up to (the reasons, empty if none)."""
    risk = set(evidence.risk)
    found = []
    adult = _adult_with_child(evidence)
    older = bool(risk & VAGUE_OLDER) or (
        bool(evidence.other_ages)
        and _young_age(evidence) is None
        and max(evidence.other_ages) >= ADULT_AGE
    )
    signs = risk & GROOMING_SIGNS
    # someone older met online counts as a sign beside another; with a child's age given, an
    # adult met online is weighed by the child's age (below)
    older_signs = signs | (risk & {"met_online"})
    if adult and signs:
        found.append("adult_with_child+" + "+".join(sorted(signs)))
    elif older and _distinct(older_signs) >= 2:
        found.append("older+" + "+".join(sorted(older_signs)))
    leverage = (risk | set(evidence.harm)) & IMAGE_LEVERAGE
    if "images_sent" in risk and (leverage or adult):
        found.append("images_sent+" + "+".join(sorted(leverage) or ["adult"]))
    if "image_request" in risk and (leverage - {"fear"} or adult or older or "secrecy" in risk):
        found.append("image_request+" + "+".join(sorted(leverage) or ["adult"]))
    if "secrecy" in risk and risk & {"sexual_talk", "sexual_contact", "unease"}:
        found.append("secrecy+sexual")
    if "debt" in risk and (risk & {"fear", "pressure"} or "threat" in evidence.harm):
        found.append("debt+threat")
    strangers = risk & {"older_person", "adult_mention", "child_with_adult"}
    if "taken_somewhere" in risk and (
        risk & {"unease", "fear", "substances"} or strangers or adult
    ):
        found.append("taken_somewhere")
    if "trusted_adult" in risk and risk & TRUST_BREACHES:
        found.append("trusted_adult+" + "+".join(sorted(risk & TRUST_BREACHES)))
    young = _young_age(evidence)
    contact = risk & {"relationship", "met_online"}
    if adult and contact and young is not None and young <= YOUNGEST_TO_ASK_ABOUT:
        # a relationship with an adult, or an adult met online, at 13 or under is abuse or
        # grooming; older, it is first a question
        found.append("adult_with_child+" + "+".join(sorted(contact)))
    # a child's pictures going round, sent or asked for first, or with an adult in it
    if "images_spread" in risk and (
        adult or risk & {"images_sent", "media_sent", "image_request", "sexual_talk"}
    ):
        found.append("images_spread")
    if len(risk & SALIENT_RISKS) >= 3:
        found.append("several_signs")
    return found


def _recent(bucket: dict[str, int], last: int, evidence: Evidence) -> set[str]:
    """Return the urgency of the last two real turns (a child missing or someone held: until safe).

    Not urgency: anything told as past or as "not now", a word of time (or a child missing)
    before or with "I am safe now" ("he hasn't come home... he's at his mate's"),
    or a situation told as what usually happens ("a man waits outside most nights").
    """
    calm = evidence.past_turns | evidence.not_now_turns
    meetings = {turn for name, turn in evidence.risk.items() if name in MEETINGS}
    return {
        name
        for name, turn in bucket.items()
        if (
            turn > last - RECENT_TURNS
            or (_lasting(name, turn, meetings) and turn > evidence.safe_turn)
        )
        and turn not in calm
        and (turn > evidence.safe_turn or name not in TIME_WORDS | LASTING)
        and (turn not in evidence.habitual_turns or name not in SITUATIONAL_URGENCY)
    }


def _lasting(name: str, turn: int, meetings: set[int]) -> bool:
    """Return whether urgency stays until the person is safe: a meeting soon stays soon."""
    return name in LASTING or (name == "imminent" and turn in meetings)


def _danger_reasons(evidence: Evidence, harmed: bool, last: int) -> list[str]:
    """Return why the conversation is danger now (empty: it is not)."""
    urgent = _recent(evidence.urgency, last, evidence)
    risk, harm = set(evidence.risk), set(evidence.harm)
    # a child missing tonight who has been seeing a man of 22 is missing with a known risk
    context = bool(harm or risk & SITUATION_CONTEXT) or _adult_with_child(evidence)
    reasons = sorted(urgent & SEVERE_URGENCY)
    # a word of time makes danger only with harm: a pattern's, or the classifier sure of both
    shown_harm = bool(harm - {"classifier"}) or bool(_combined_harm(evidence))
    timing = urgent & (IMMEDIATE | {"classifier_danger"})
    if harmed and timing and (shown_harm or "classifier_danger" in urgent):
        reasons.append("harm+" + "+".join(sorted(timing)))
    if context and urgent & SITUATIONAL_URGENCY:
        reasons.append("situation+" + "+".join(sorted(urgent & SITUATIONAL_URGENCY)))
    elif "missing_now" in urgent and "met_online" in risk:
        # gone to meet someone from a game or an app and not back: missing with a known risk
        reasons.append("missing_now+met_online")
    if "distress_now" in urgent and _young_age(evidence) is not None:
        reasons.append("child_in_distress")
    if urgent & {"weapon", "armed"} and harm:
        reasons.append("weapon")
    there = urgent & {"present_threat", "armed"}
    if there and urgent & {"help_now", "distress_now"}:
        # someone there, or someone armed, and the writer hiding or begging for help
        reasons.append("+".join(sorted(there)) + "+distress")
    for severe in ("threat_to_life", "spiked"):
        turns = {t for n, t in evidence.harm.items() if n == severe} - evidence.past_turns
        if turns and max(turns) > evidence.safe_turn:
            reasons.append(severe)
    if evidence.not_safe_turn == last or ("help_now" in urgent and harm):
        reasons.append("not_safe")
    return reasons


def _subject(evidence: Evidence) -> Subject:
    """Return who the evidence is about: the latest victim, the people named, or the writer.

    A carer's "our lad", "my granddaughter" or "one of our girls" is a child in their care, and
    so is "one of our young people" told by someone who named a children's home.
    """
    subject = _subject_named(evidence)
    in_care = any(s == Subject.CHILD_IN_CARE.value for _, s in evidence.subjects)
    if (evidence.writer == "carer" or in_care) and subject in CARED_FOR:
        return Subject.CHILD_IN_CARE
    return subject


def _subject_named(evidence: Evidence) -> Subject:
    victim = evidence.victims[-1][1] if evidence.victims else None
    if victim is not None and victim != THIRD_PERSON:
        return Subject(victim)
    named = [Subject(s) for _, s in evidence.subjects if s != Subject.SELF.value]
    writer_named_self = any(s == Subject.SELF.value for _, s in evidence.subjects)
    if named and (victim == THIRD_PERSON or not writer_named_self):
        return named[-1]
    if evidence.writer in WRITER_DEFAULT_SUBJECT:
        return WRITER_DEFAULT_SUBJECT[evidence.writer]
    # "a girl of about 13 ... she's scared", with nothing about the writer: someone else
    told_of_another = bool(evidence.child_ages) and evidence.writer_age is None
    if victim == THIRD_PERSON or (told_of_another and not writer_named_self):
        return Subject.UNKNOWN
    return Subject.SELF


def assess(turns: Sequence[Turn], audience: str | None = None) -> Assessment:
    """Return the safety decision for a conversation (``audience``: who said they are)."""
    if not turns:
        return Assessment()
    last = len(turns) - 1
    evidence = gather(turns, audience)
    combined = _combined_harm(evidence)
    harmed = bool(evidence.harm or combined) or evidence.confirmed_turn >= 0
    danger = _danger_reasons(evidence, harmed, last)
    if evidence.self_harm:
        self_harm = _self_harm(evidence, last)
        # danger now outranks self-harm that is not happening now
        if not danger or self_harm.priority == Priority.DANGER:
            return self_harm
    if danger:
        return Assessment(
            Route.DANGER,
            Priority.DANGER,
            _subject(evidence),
            # with any self-harm told before, so the duty worker sees it
            tuple(sorted({*evidence.harm, *evidence.risk, *evidence.urgency, *evidence.self_harm})),
            evidence.turns_of(evidence.harm, evidence.urgency, evidence.risk),
            tuple(danger + combined),
        )
    if harmed:
        reasons = [f"harm:{n}" for n in sorted(evidence.harm)] + combined
        if evidence.confirmed_turn >= 0:
            reasons.append("confirmed_after_check")
        # an adult who says "yes, a child I know" after the check gets the concern routes
        confirmed_only = evidence.confirmed_turn >= 0 and not evidence.harm and not combined
        adult = evidence.writer in ADULT_WRITERS
        route = Route.CONCERN if confirmed_only and adult else Route.DISCLOSURE
        subject = _subject(evidence)
        return Assessment(
            route,
            Priority.DISCLOSURE if route is Route.DISCLOSURE else None,
            subject,
            tuple(sorted(set(evidence.harm) | set(evidence.risk))),
            evidence.turns_of(evidence.harm, evidence.risk) or (evidence.confirmed_turn,),
            tuple(reasons),
        )
    return _below_harm(turns, evidence)


def _self_harm(evidence: Evidence, last: int) -> Assessment:
    """Self-harm or suicide: priority 1 for suicidal intent or harm happening now, else 2."""
    calm = evidence.past_turns | evidence.not_now_turns | evidence.habitual_turns
    live = {n for n, t in evidence.self_harm.items() if t not in calm}
    urgent = _recent(evidence.urgency, last, evidence) & (
        IMMEDIATE | SEVERE_URGENCY | {"classifier_danger"}
    )
    # "she's with the counsellor now, she's safe": told after the intent, it is not now
    live_turns = [t for n, t in evidence.self_harm.items() if n in live]
    settled = bool(live_turns) and evidence.safe_turn >= max(live_turns)
    now = not settled and bool(live & {"suicidal", "overdose"} or (live and urgent))
    return Assessment(
        Route.SELF_HARM,
        Priority.DANGER if now else Priority.DISCLOSURE,
        _subject(evidence),
        tuple(sorted(set(evidence.self_harm) | (urgent if now else set()))),
        evidence.turns_of(evidence.self_harm),
        ("self_harm_now" if now else "self_harm",),
    )


def _below_harm(turns: Sequence[Turn], evidence: Evidence) -> Assessment:
    """Decide when nothing amounts to harm: concern, a check, language or nothing."""
    last = len(turns) - 1
    latest = turns[-1].signals
    counted_risk = {n: t for n, t in evidence.risk.items() if t > evidence.just_asking_turn}
    salient = set(counted_risk) & SALIENT_RISKS
    if _adult_with_child(evidence):
        # a relationship with an adult, or an adult met online, at 14 or over is first a
        # question (at 13 or under it is harm, ``_combined_harm``)
        salient |= set(counted_risk) & {"relationship", "met_online"}
    subject = _subject(evidence)
    about_someone_else = subject not in (Subject.SELF, Subject.UNKNOWN)
    adult = evidence.writer in ADULT_WRITERS
    signs_described = (
        salient
        or len(counted_risk) >= 2
        or evidence.concern_scores
        or "missing_now" in evidence.urgency
    )
    if (adult or about_someone_else) and signs_described:
        return Assessment(
            Route.CONCERN,
            None,
            subject,
            tuple(sorted(counted_risk)),
            evidence.turns_of(counted_risk),
            ("signs_about_a_child",),
        )
    if latest.language == OTHER and not latest.indicators:
        return Assessment(Route.LANGUAGE, reasons=(f"language:{latest.language}",))
    if evidence.unsure_now and evidence.unsure_now[-1] > last - RECENT_TURNS:
        return Assessment(Route.CHECK_SAFE, reasons=("situation_without_harm",))
    weak = [t for t in evidence.weak if t > evidence.just_asking_turn]
    hypothetical = [t for t in evidence.hypothetical_harm if t == last]
    if salient or weak or hypothetical:
        return Assessment(
            Route.CHECK,
            None,
            subject,
            tuple(sorted(salient)),
            tuple(sorted(set(counted_risk.values()) | set(weak) | set(hypothetical))),
            ("one_weak_signal",),
        )
    unexplained = _recent(evidence.urgency, last, evidence) & UNEXPLAINED_URGENCY
    if unexplained:
        threat = not unexplained - UNEXPLAINED_THREATS
        reason = "threat_without_detail" if threat else "help_without_detail"
        return Assessment(Route.CHECK_SAFE, reasons=(reason,))

    return Assessment()
