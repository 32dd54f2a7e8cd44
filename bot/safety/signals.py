"""Read one message: the indicators, ages and victims its words show, and the classifier's view.

This is the per-message half of the safety net. It decides nothing: the conversation-level
decision (``bot/safety/assessment.py``) weighs these signals across turns. What it does here:

- match the reviewed patterns (``bot/safety/patterns.py``);
- drop harm and self-harm read inside a figure of speech ("my mum will kill me if I'm late"),
  unless the pattern is marked literal, and drop third-person harm inside a story ("in the film
  he kidnaps her");
- read ages (the writer's, a child's, another person's), ignoring numbers of minutes or pounds;
- read who each harm was done to (the pattern's ``victim`` group);
- note whether the message is a general question (no first person) or hypothetical.

Signals are stored in the message's parse data, so every later turn, the console and the
evaluation can see exactly what each message contributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.safety.indicators import STORIES, Kind, kind_of, of_kind
from bot.safety.language import WELSH
from bot.safety.patterns import Match, is_welsh_pattern
from bot.safety.routes import Subject

# "where they took their clothes off": a clause that goes on telling, not a question; nor is
# "don't want to be here any more" (the "I" left out).
GENERAL_QUESTION = re.compile(
    r"^((hello|hi|hiya|hey|hi there|good (morning|afternoon|evening)|ok|okay|so|um) )*"
    r"((what|whats|how|can|could|is|are|does|do|why|who|should|would|will)\b(?! not\b)"
    r"|(where|when|which)\b(?! (he|she|they|him|her|them|his|their)\b))"
)
FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|we|us|our)\b")
# Welsh: "i" alone is also "to", so only the forms that cannot be anything else count
WELSH_FIRST_PERSON = re.compile(
    r"\b(fi|fy|dwi|dw i|ydw i|rydw i|rwy|rwyf|wi|alla i|galla i|ddylwn i|ddylen i|nes i|ges i|"
    r"es i|wrtha i|arna i|ohona i|gen i|gyda fi|da fi|efo fi|hefo fi|ni|ein|dan ni|da ni)\b"
)
# "can you tell me what grooming is": the asker, not a situation of theirs.
ASKING_PHRASES = re.compile(
    r"\b(tell me|explain to me|explain|show me|help me understand|give me|teach me|let me know|"
    r"i want to know|i wanted to know|i would like to know|i need to know|do you know|can i ask|"
    r"i have a question|my question is|i was wondering|im wondering|i am wondering|"
    r"how (would|do|can|could|should) (i|we) (know|tell|spot|recognise|recognize)|"
    r"for (our|my|a|the) (\w+ ){0,2}(training|course|lesson|project|assignment|presentation|"
    r"essay|homework|coursework|session|module))\b"
)
NUMBER_UNITS = frozenset(
    [
        "pounds",
        "minutes",
        "minute",
        "hours",
        "hour",
        "times",
        "percent",
        "quid",
        "pm",
        "am",
        "oclock",
        "miles",
        "days",
        "weeks",
        "months",
        "followers",
        "likes",
        "messages",
        "texts",
        "snaps",
        "pictures",
        "photos",
        "pence",
        "mins",
        "hrs",
        "seconds",
    ]
)
# Words read as part of a larger indicator are not read again alone: suicidal thoughts are not
# also a plan; "he says im mature for my age" is sexual talk, not being the same age; "she is
# home alone" is not "she is home" (safe now); Welsh "a rŵan mae o'n deud..." ("and now he
# says...") tells what came next, not what is happening at this moment; a worker's "one of our
# girls" is not their own child; "its the man who gave me money last week" says who he is, not
# that what is happening now is past; "told me to say he's my brother" is a cover story, not
# family.
READ_AS_PART_OF = {
    "suicidal": "suicidal_thoughts",
    "same_age": "sexual_talk",
    "safe_now": "home_alone",
    "now": "narrative_now",
    "said_now": "narrative_now",
    "about_own_child": "about_child_at_work",
    "past": "past_of_someone",
    # "told me to tell the teachers it was my brother": a cover story, not who it was
    "known_visitor": "secrecy",
    "family_care": "secrecy",
    # "my nan kissed me goodnight", "he kissed me on the cheek": affection, not sexual contact
    "sexual_contact": "affectionate_kiss",
    # "dwi'n aros yn y car tu allan i'r ysgol": the writer is who is outside. Not a known visitor,
    # which keeps the content model out: "dwi'n eistedd yn y car a ma'r drysau di cloi" is not safe
    "present_threat": "writer_waiting",
}
SUPPRESSED_BY_FIGURE_OF_SPEECH = frozenset({Kind.HARM, Kind.SELF_HARM, Kind.URGENCY})
# Someone outside, watching or there: not a threat once a known visitor told after them names who
# it was (``_kept``).
SOMEONE_THERE = frozenset({"present_threat", "stalked_now", "adult_mention"})
IMAGE_HARMS = frozenset({"sextortion", "image_abuse"})
# Why being kept in is not being held: a jammed door, a house rule.
NOT_BEING_HELD = frozenset({"mishap", "house_rule"})
# "I'm a PE teacher": the writer's own role, not an adult in a position of trust over a child.
WRITER_ROLES = ("writer_professional", "writer_business")
VICTIM_CUES = {
    "me": Subject.SELF,
    "my": Subject.SELF,
    "us": Subject.SELF,
    "friend": Subject.FRIEND,
    "mate": Subject.FRIEND,
    "bestie": Subject.FRIEND,
    "daughter": Subject.OWN_CHILD,
    "son": Subject.OWN_CHILD,
    "child": Subject.OWN_CHILD,
    "kid": Subject.OWN_CHILD,
    "stepdaughter": Subject.OWN_CHILD,
    "stepson": Subject.OWN_CHILD,
    "sister": Subject.OTHER_CHILD,
    "brother": Subject.OTHER_CHILD,
    "cousin": Subject.OTHER_CHILD,
    "niece": Subject.OTHER_CHILD,
    "nephew": Subject.OTHER_CHILD,
    "pupil": Subject.CHILD_AT_WORK,
    "student": Subject.CHILD_AT_WORK,
    "foster": Subject.CHILD_IN_CARE,
}
SUBJECT_INDICATORS = {
    "about_self": Subject.SELF,
    "about_friend": Subject.FRIEND,
    "about_own_child": Subject.OWN_CHILD,
    "about_child_in_care": Subject.CHILD_IN_CARE,
    "about_child_at_work": Subject.CHILD_AT_WORK,
    "about_other_child": Subject.OTHER_CHILD,
}
THIRD_PERSON = "third_person"
# "tonight she told me": when something was told, not when it happens
TOLD_AT = "told_at"
SCHOOL_YEAR_TO_AGE = 4  # year 7 is the year a child turns 12; "in year 7" reads as 11 or more
SCORE_KEPT = 0.01  # smaller classifier probabilities are not kept with the message


@dataclass(frozen=True)
class MessageSignals:
    """What one message shows, kept in its parse data as ``safety.signals``."""

    indicators: dict[str, str] = field(default_factory=dict)  # indicator -> pattern id
    victims: dict[str, str] = field(default_factory=dict)  # indicator -> subject or third_person
    writer_age: int | None = None
    child_ages: tuple[int, ...] = ()
    other_ages: tuple[int, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)  # route classifier probabilities
    question: bool = False  # a general question with no first person
    language: str = "en"
    subjects: tuple[str, ...] = ()  # subject cues, in the order they appear
    words: int = 0  # how many words the person typed

    def as_dict(self) -> dict[str, Any]:
        """Return the signals as JSON-ready data (what the tracker stores), without empties.

        Every message's signals are kept in the conversation, which Rasa reads back each turn:
        what is empty or zero is left out (``from_dict`` reads it back as the default).
        """
        data = {
            "indicators": self.indicators,
            "victims": self.victims,
            "writer_age": self.writer_age,
            "child_ages": list(self.child_ages),
            "other_ages": list(self.other_ages),
            "scores": {k: round(v, 3) for k, v in self.scores.items() if v >= SCORE_KEPT},
            "question": self.question,
            "language": self.language if self.language != "en" else None,
            "subjects": list(self.subjects),
            "words": self.words,
        }
        return {key: value for key, value in data.items() if value}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> MessageSignals:
        """Rebuild signals from stored data (empty signals for messages stored before them)."""
        if not isinstance(data, dict):
            return cls()
        return cls(
            indicators=dict(data.get("indicators") or {}),
            victims=dict(data.get("victims") or {}),
            writer_age=data.get("writer_age"),
            child_ages=tuple(data.get("child_ages") or ()),
            other_ages=tuple(data.get("other_ages") or ()),
            scores={k: float(v) for k, v in (data.get("scores") or {}).items()},
            question=bool(data.get("question")),
            language=str(data.get("language") or "en"),
            subjects=tuple(data.get("subjects") or ()),
            words=int(data.get("words") or 0),
        )

    def of_kind(self, kind: Kind) -> set[str]:
        """Return this message's indicators of one kind."""
        return {name for name in self.indicators if kind_of(name) is kind}


def _overlaps(match: Match, spans: list[tuple[int, int]]) -> bool:
    return any(match.start < end and start < match.end for start, end in spans)


def _kept(matches: list[Match]) -> list[Match]:
    """Drop harm read inside a figure of speech, or third-person harm inside a story.

    A time that says when something was told ("tonight she told me") is not urgency; being shut
    in by a jammed door (a mishap) or kept in till the homework is done (a house rule) is not
    being held, and hurting yourself at judo (a mishap) is not self-harm; someone at the door
    who turns out to be the postman or a neighbour is not a threat outside; a threat to post
    someone's baby photos is teasing, not image abuse; words read as part of a larger indicator
    are not read again alone (``READ_AS_PART_OF``); the writer's own role ("I'm a PE teacher")
    is not an adult in a position of trust over a child.
    """
    spans = {
        name: [(m.start, m.end) for m in matches if m.indicator == name]
        for name in (
            "figurative",
            TOLD_AT,
            *READ_AS_PART_OF.values(),
            "innocent_images",
            "mishap",
            *WRITER_ROLES,
        )
    }
    story = any(m.indicator in STORIES for m in matches)
    not_held = any(m.indicator in NOT_BEING_HELD for m in matches)
    # who someone was explains the someone-there told before it or in its own words ("theres a
    # man outside / oh its the postman"), never someone told of after it ("my dad lol, theres a
    # man outside my window")
    explained_up_to = max(
        (
            m.end
            for m in matches
            if m.indicator == "known_visitor" and not _overlaps(m, spans["secrecy"])
        ),
        default=-1,
    )
    kept = []
    for match in matches:
        kind = kind_of(match.indicator)
        suppressible = kind in SUPPRESSED_BY_FIGURE_OF_SPEECH
        if suppressible and not match.literal and _overlaps(match, spans["figurative"]):
            continue
        if kind is Kind.URGENCY and _overlaps(match, spans[TOLD_AT]):
            continue
        if kind is Kind.SELF_HARM and not match.literal and _overlaps(match, spans["mishap"]):
            continue  # "he hurt himself at judo"
        if match.indicator in SOMEONE_THERE and match.start < explained_up_to:
            continue
        if match.indicator in IMAGE_HARMS and _overlaps(match, spans["innocent_images"]):
            continue
        writer_role = any(_overlaps(match, spans[role]) for role in WRITER_ROLES)
        if match.indicator == "trusted_adult" and writer_role:
            continue
        inside = READ_AS_PART_OF.get(match.indicator)
        if (match.indicator == "held" and not_held) or (
            inside is not None and _overlaps(match, spans[inside])
        ):
            continue
        victim = next((v for k, v in match.groups.items() if k.startswith("victim")), None)
        if suppressible and story and (victim is None or victim_subject(victim) != "self"):
            continue
        kept.append(match)
    return kept


def _age(value: str, text: str, end: int) -> int | None:
    """Return a captured age, unless the number is of something else ("13 minutes")."""
    following = text[end:].split()[:1]
    if following and following[0] in NUMBER_UNITS:
        return None
    return int(value)


def _ages(matches: list[Match], text: str) -> tuple[int | None, list[int], list[int]]:
    writer: int | None = None
    children: list[int] = []
    others: list[int] = []
    for match in matches:
        for name, value in match.groups.items():
            if name.startswith("school_year"):
                # "I'm in year 9" is the writer; "a Year 9 girl" is a child
                year_age = int(value) + SCHOOL_YEAR_TO_AGE
                if match.indicator == "writer_age":
                    writer = year_age
                else:
                    children.append(year_age)
            elif name.startswith("age"):
                age = _age(value, text, match.end)
                if age is None:
                    continue
                if match.indicator == "writer_age":
                    writer = age
                elif match.indicator == "child_age":
                    children.append(age)
                elif match.indicator == "other_age":
                    others.append(age)
    return writer, children, others


def victim_subject(victim: str) -> str:
    """Return who a captured victim phrase points to (a subject, or ``third_person``)."""
    words = victim.split()
    if words == ["my"] or words[:1] in (["me"], ["us"]):
        return Subject.SELF.value
    for word in words:
        # "my daughters phone", "my mates": the normaliser drops the apostrophe
        cue = word if word in VICTIM_CUES else word.removesuffix("s")
        if cue in VICTIM_CUES and cue not in ("me", "my", "us"):
            return VICTIM_CUES[cue].value
    return THIRD_PERSON


def read_signals(
    text: str,
    matches: list[Match],
    scores: dict[str, float],
    language: str,
    words: int | None = None,
) -> MessageSignals:
    """Return the signals of one normalised message from its pattern matches and scores.

    ``words`` is how many words the person typed (by default, of the normalised text).
    """
    first_person = bool(FIRST_PERSON.search(ASKING_PHRASES.sub(" ", text)))
    kept = _kept(matches)
    writer, children, others = _ages(kept, text)
    indicators: dict[str, str] = {}
    victims: dict[str, str] = {}
    subjects = tuple(
        SUBJECT_INDICATORS[m.indicator].value
        for m in sorted(kept, key=lambda m: m.start)
        if m.indicator in SUBJECT_INDICATORS
    )
    # "my daughter just told me 'grandad touches me'": "me" is the child quoted, the first the
    # message names
    quoted_from = [m.end for m in kept if m.indicator == "reported_speech"]
    child_quoted = next((s for s in subjects if s != Subject.SELF.value), THIRD_PERSON)
    for match in kept:
        # a Welsh message is said to be read by the Welsh pattern that read it, where an English
        # one read it too ("watshio Line of Duty")
        if language == WELSH and is_welsh_pattern(match.pattern_id):
            indicators.setdefault(match.indicator, match.pattern_id)
    for match in kept:
        indicators.setdefault(match.indicator, match.pattern_id)
        victim = next((v for k, v in match.groups.items() if k.startswith("victim")), None)
        if victim is not None and match.indicator not in victims:
            subject = victim_subject(victim)
            if subject == Subject.SELF.value and any(end <= match.start for end in quoted_from):
                subject = child_quoted
            victims[match.indicator] = subject
    # "how many pills does it take", "is it normal to want to…", "…if someone is … right now":
    # a question in general form that is the asker's own
    in_english = bool(GENERAL_QUESTION.match(text)) and not first_person
    # a Welsh question word with a self-harm pattern is the asker's own ("oes rhywun arall yn
    # cael meddylia am farw bob nos")
    in_welsh = (
        "general_question" in indicators
        and not WELSH_FIRST_PERSON.search(text)
        and not of_kind(set(indicators), Kind.SELF_HARM)
    )
    question = (in_english or in_welsh) and "asks_for_self" not in indicators
    return MessageSignals(
        indicators=indicators,
        victims=victims,
        writer_age=writer,
        child_ages=tuple(children),
        other_ages=tuple(others),
        scores=scores,
        question=question,
        language=language,
        subjects=subjects,
        words=len(text.split()) if words is None else words,
    )
