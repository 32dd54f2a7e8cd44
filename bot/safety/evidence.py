"""What each turn of a conversation contributes to the safety decision, gathered turn by turn.

Every message's signals (``bot/safety/signals.py``) are sorted into evidence: harm, warning signs,
self-harm, urgency, who it is about, ages, and the turns that take something back ("I am safe
now", "I was just asking", "it was last year"). Only real situations count; the route
classifier's guesses count only with a cue in the message or when it is sure of a whole sentence.
``bot/safety/assessment.py`` weighs the evidence into a decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.safety.indicators import EXPLAINING, SAID_WHO, STORIES, Kind
from bot.safety.language import WELSH
from bot.safety.patterns import is_welsh_pattern
from bot.safety.routes import Subject
from bot.safety.signals import MessageSignals

# Route-classifier probabilities (tuned on the tuning sets, never on held-out ones).
CLASSIFIER_HARM = 0.40  # sure enough of harm to count it, given a pattern cue in the message
CLASSIFIER_HARM_ALONE = 0.60  # sure enough to count harm with no pattern cue at all
CLASSIFIER_UNSURE = 0.30  # leaning towards harm: a weak signal (the gentle check)
CLASSIFIER_DANGER = 0.35  # sure enough that a harmful message is happening now
CLASSIFIER_DANGER_ALONE = 0.70  # ... when the harm is the content model's alone, with no cue
# Welsh has fewer reviewed patterns, so its content model carries more: 0.70 cost a tenth of the
# Welsh tuning sets' danger recall, where in English it cost none and halved false alarms.
CLASSIFIER_DANGER_ALONE_WELSH = 0.60
CLASSIFIER_SELF_HARM = 0.50
CLASSIFIER_CONCERN = 0.50
CLASSIFIER_CHECK = 0.50  # "is it my fault if I said yes": might be a disclosure, so ask
MIN_WORDS_ALONE = 6  # a shorter message is a fragment: the content model alone cannot judge it
CLASSIFIER_PREFIX = "classifier"  # the evidence the content and timing models give

# Warning signs: a salient one alone is worth the gentle check; a context one only adds weight.
SALIENT_RISKS = frozenset(
    {
        "older_person",
        "secrecy",
        "image_request",
        "images_sent",
        "sexual_talk",
        "sexual_contact",
        "pressure",
        "debt",
        "control",
        "fear",
        "picked_up",
        "unease",
        "child_with_adult",
        "taken_somewhere",
        "private_contact",
        "affection",
    }
)

# Warning signs that saying who someone is explains: someone older, being scared of them, being
# picked up or taken somewhere by them, a child seen with them ("a man with a young girl" / "her
# dad"); not what they did ("does stuff to me I don't want", secrets, pictures).
SAID_WHO_EXPLAINS = frozenset(
    {"older_person", "fear", "picked_up", "taken_somewhere", "child_with_adult"}
)

# On their own these are danger now: held, followed, "I am not safe".
SEVERE_URGENCY = frozenset({"held", "stalked_now", "unsafe_now"})
# Words of time: a later "I am safe now" cancels them (a place or a person outside it does not).
TIME_WORDS = frozenset({"now", "imminent", "classifier_danger", "help_now"})
QUESTIONS = frozenset({"hypothetical", "just_asking", "hearsay"})
# Being taken somewhere, picked up or met by family is ordinary life, not a warning sign.
FAMILY_ORDINARY = frozenset({"taken_somewhere", "picked_up", "meet_up"})

WRITER_INDICATORS = {
    "writer_parent": "parent",
    "writer_carer": "carer",
    "writer_professional": "professional",
    "writer_business": "business",
    "writer_young": "young_person",
}
CHILD_AGE_LIMIT = 17
# How many messages back a medicine named makes "i took like 16" an overdose.
MEDICINE_NAMED_WITHIN = 3
CHECK_ACTIONS = frozenset({"utter_check_gentle", "utter_check_safe_now"})


@dataclass(frozen=True)
class Turn:
    """One message of the person's, with what the bot had just asked."""

    signals: MessageSignals
    message_id: str | None = None
    intent: str | None = None
    after: str | None = None  # the bot's last response before this message
    # this message read together with the one before, when that one alone raised an escalation
    joined: MessageSignals | None = None
    # this message read together with the one before, when it carries on its sentence
    continued: MessageSignals | None = None
    # this message came soon after one that took an alarm back ("oh wait it's the window cleaner")
    after_explained: bool = False


@dataclass
class Evidence:
    """What the real (not hypothetical, not general) turns show, gathered turn by turn."""

    harm: dict[str, int] = field(default_factory=dict)  # indicator -> latest turn
    risk: dict[str, int] = field(default_factory=dict)
    self_harm: dict[str, int] = field(default_factory=dict)
    urgency: dict[str, int] = field(default_factory=dict)
    victims: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[tuple[int, str]] = field(default_factory=list)
    writer_age: int | None = None
    child_ages: list[int] = field(default_factory=list)
    other_ages: list[int] = field(default_factory=list)
    writer: str | None = None
    weak: list[int] = field(default_factory=list)  # turns with one weak signal
    concern_scores: list[int] = field(default_factory=list)
    past_turns: set[int] = field(default_factory=set)
    not_now_turns: set[int] = field(default_factory=set)
    habitual_turns: set[int] = field(default_factory=set)
    safe_turn: int = -1
    just_asking_turn: int = -1
    confirmed_turn: int = -1
    not_safe_turn: int = -1
    unsure_now: list[int] = field(default_factory=list)  # a situation now, no harm shown
    hypothetical_harm: list[int] = field(default_factory=list)
    # a general question that named only warning signs ("is it illegal for an adult to send u
    # pics of their privates"): counted once the person says it is theirs ("yeah he did")
    asked_about_signs: list[int] = field(default_factory=list)
    # harm -> the turns in a row, up to its latest, that showed it: "someone asked for my bank
    # details" / "it was a text from 'HMRC'" raise the content model's alarm twice, and a
    # follow-up that explains ("it's a scam") takes back both, not only the latest (warning signs
    # and times count by their latest turn: money told in every message is context, not alarm)
    harm_runs: dict[str, set[int]] = field(default_factory=dict)

    def add(self, bucket: dict[str, int], name: str, turn: int) -> None:
        """Record that ``name`` was seen, latest at ``turn``."""
        bucket[name] = turn
        if bucket is self.harm:
            run = self.harm_runs.get(name, set())
            self.harm_runs[name] = run | {turn} if run & {turn, turn - 1} else {turn}

    def turns_of(self, *buckets: dict[str, int]) -> tuple[int, ...]:
        """Return the turns that showed what ``buckets`` hold (harm: its latest run of turns)."""
        turns = {t for bucket in buckets for t in bucket.values()}
        if any(bucket is self.harm for bucket in buckets):
            turns |= {t for runs in self.harm_runs.values() for t in runs}
        return tuple(sorted(turns))


def is_real(signals: MessageSignals) -> bool:
    """Return whether a message tells a situation (not a general or hypothetical question).

    "Just in general" after "I don't want to be here any more" or "how do I get out of here"
    about being held does not make it a question, nor does "if" in a question that is the
    asker's own.
    """
    questions = set(signals.indicators) & QUESTIONS
    held = bool(signals.of_kind(Kind.URGENCY) & SEVERE_URGENCY)
    if (signals.of_kind(Kind.SELF_HARM) or held) and not signals.question:
        # "sut dwi'n dod allan o fan hyn heb iddyn nhw weld" (how do I get out of here without
        # them seeing) asks for the writer's own way out
        questions.discard("just_asking")
    if signals.indicators.keys() & {"asks_for_self", "confirms_self"}:
        # "where do you go if someone is trying to get you in their car right now", "if
        # someones been sending pics to a 30 year old is that abuse. cos they still are"
        questions.discard("hypothetical")
    return not signals.question and not questions


def tells_a_story(signals: MessageSignals) -> bool:
    """Return whether a message tells a film, book, play or programme, not the writer's life.

    A Welsh film, book or game only mentioned ("mewn ffilm", "ar roblox": ``mentions_fiction``) is
    not one: a game is where harm often starts, and "mewn ffilm" can be a child filmed.
    """
    told_by = signals.indicators.get("fiction", "")
    # a Welsh message's story is told in Welsh: an English title or "on tv" inside it is not
    told_in_its_language = signals.language != WELSH or is_welsh_pattern(told_by)
    writers_own = Subject.SELF.value in (*signals.victims.values(), *signals.subjects)
    return bool(told_by) and told_in_its_language and not writers_own


def gather(turns: Sequence[Turn], audience: str | None) -> Evidence:
    """Return what the conversation's turns show (``audience``: who the person said they are)."""
    evidence = Evidence(writer=audience)
    for index, turn in enumerate(turns):
        signals = turn.signals
        names = set(signals.indicators)
        if turn.after in CHECK_ACTIONS and turn.intent in ("affirm", "deny"):
            confirms = (turn.intent == "affirm") == (turn.after == "utter_check_gentle")
            if confirms:
                if turn.after == "utter_check_gentle":
                    evidence.confirmed_turn = index
                else:
                    evidence.not_safe_turn = index
            elif turn.after == "utter_check_gentle":
                evidence.just_asking_turn = index
        for name, role in WRITER_INDICATORS.items():
            # a foster or residential carer's "our 15 year old" does not make them a parent
            keeps_carer = evidence.writer == "carer" and role == "parent"
            replaces = evidence.writer is None or (role != "young_person" and not keeps_carer)
            if name in names and replaces:
                evidence.writer = role
        if signals.writer_age is not None:
            evidence.writer_age = signals.writer_age
            if signals.writer_age <= CHILD_AGE_LIMIT:
                # "I'm 15" is the writer's own age: a young person, whoever the slot said
                evidence.writer = "young_person"
        evidence.child_ages += signals.child_ages
        evidence.other_ages += signals.other_ages
        evidence.subjects += [(index, s) for s in signals.subjects]
        # "he came on Monday too, he is outside right now": a message that says "right now" in
        # so many words is about now, whatever else it says of another day ("she had just
        # left" is not so many words: a story of last night can say it)
        said_now = "said_now" in names
        if "past" in names and not said_now:
            evidence.past_turns.add(index)
        if "not_now" in names and not said_now:
            evidence.not_now_turns.add(index)
        if "habitual" in names:
            evidence.habitual_turns.add(index)
        if "safe_now" in names:
            evidence.safe_turn = index
        if not is_real(signals):
            if signals.of_kind(Kind.HARM) | signals.of_kind(Kind.SELF_HARM):
                evidence.hypothetical_harm.append(index)
            elif signals.of_kind(Kind.RISK):
                evidence.asked_about_signs.append(index)
            if "just_asking" in names:
                evidence.just_asking_turn = index
            continue
        if "confirms_self" in names:
            # "i do it", "it's happening to me": an earlier general question was about them
            for earlier in evidence.hypothetical_harm + evidence.asked_about_signs:
                _gather_real_turn(evidence, index, turns[earlier].signals)
            evidence.hypothetical_harm.clear()
            evidence.asked_about_signs.clear()
        _gather_real_turn(evidence, index, signals, patterns_only=turn.after_explained)
        if "took_many" in names and _medicine_named(turns, index):
            # "can i ask about paracetamol" / "how many is too many" / "i already took like 16"
            evidence.add(evidence.self_harm, "overdose", index)
        if turn.continued is not None and turn.joined is None and is_real(turn.continued):
            _gather_continued(evidence, index, turn.continued)
    return evidence


def _medicine_named(turns: Sequence[Turn], index: int) -> bool:
    """Return whether a medicine was named in this message or the few before it."""
    recent = turns[max(0, index - MEDICINE_NAMED_WITHIN) : index + 1]
    return any("medicine_named" in turn.signals.indicators for turn in recent)


def _gather_continued(evidence: Evidence, index: int, continued: MessageSignals) -> None:
    """Count what only the reading joined to the message before shows, at this turn.

    Only what the reviewed patterns find counts, and only what was not already shown in the
    conversation (harm, self-harm, urgency, signs), so a sign is never counted twice. The content
    model's reading of a joined fragment is not counted: it lacks the sentence's start ("im
    going to the cinema" / "with my bf" / "and his mates").
    """
    joined = Evidence()
    _gather_real_turn(joined, index, continued)
    for found, gathered in (
        (evidence.harm, joined.harm),
        (evidence.self_harm, joined.self_harm),
        (evidence.urgency, joined.urgency),
        (evidence.risk, joined.risk),
    ):
        for name in gathered.keys() - found.keys():
            if not name.startswith(CLASSIFIER_PREFIX):
                evidence.add(found, name, index)


def _danger_alone(signals: MessageSignals) -> float:
    """Return how sure the timing model must be of harm now that only the content model saw."""
    return CLASSIFIER_DANGER_ALONE_WELSH if signals.language == WELSH else CLASSIFIER_DANGER_ALONE


def _gather_real_turn(
    evidence: Evidence, index: int, signals: MessageSignals, patterns_only: bool = False
) -> None:
    family = "family_care" in signals.indicators
    # being the same age explains away an adult with a child, never a child's images spread
    peers = "same_age" in signals.indicators and "images_spread" not in signals.indicators
    story = tells_a_story(signals)
    for name in signals.of_kind(Kind.HARM):
        evidence.add(evidence.harm, name, index)
    for name in signals.of_kind(Kind.RISK):
        if not (family and name in FAMILY_ORDINARY):
            evidence.add(evidence.risk, name, index)
    for name in signals.of_kind(Kind.SELF_HARM):
        evidence.add(evidence.self_harm, name, index)
    for name in signals.of_kind(Kind.URGENCY):
        evidence.add(evidence.urgency, name, index)
    evidence.victims += [(index, v) for v in signals.victims.values()]
    # who someone is (family, a known visitor) explains their being there, a lift or a meeting,
    # never what was done: "someone does stuff to me at night i dont want" / "its my dad" is harm
    what_was_done = signals.of_kind(Kind.HARM) or signals.of_kind(Kind.RISK) & (
        SALIENT_RISKS - SAID_WHO_EXPLAINS
    )
    identified = bool(SAID_WHO & signals.indicators.keys()) and not what_was_done
    # a figure of speech, a house rule, a mishap, "false alarm": what happened was not harm (a
    # film or book explains only as ``story``, a game or a mere mention never)
    said_what = bool((EXPLAINING - SAID_WHO - STORIES) & signals.indicators.keys())
    explained = said_what or identified or peers or story
    if explained or patterns_only:
        # the classifier reads idioms, family outings, classmates' chats, "he's not being weird",
        # "the man outside was the postman", "he won't let me leave till I've done my homework",
        # "I've cut my own hair" and a part in a play as harm, and so the talk that follows an
        # alarm taken back ("my mum pays him every month"): patterns alone judge
        return
    scores = signals.scores
    # the content model often splits a harm between danger and disclosure: together they count
    harm_score = scores.get("danger", 0.0) + scores.get("disclosure", 0.0)
    # a classifier's guess needs a cue of what happened: a pattern's harm, a situation (someone
    # outside, being held) or a salient sign; not a word of time, nor context such as "a man",
    # money or a family member
    situation = bool(signals.of_kind(Kind.URGENCY) - TIME_WORDS)
    described = bool(
        signals.of_kind(Kind.HARM)
        or signals.of_kind(Kind.SELF_HARM)
        or (signals.of_kind(Kind.RISK) & SALIENT_RISKS and not family)
    )
    cued = described or situation
    # "I am scared", "someone is outside": how it feels or where, not yet what is happening
    # ("he's got a knife" says what is happening)
    feeling_only = not (
        "armed" in signals.indicators
        or signals.of_kind(Kind.HARM)
        or signals.of_kind(Kind.SELF_HARM)
        or signals.of_kind(Kind.RISK) & SALIENT_RISKS - {"fear", "unease"}
    )
    # on its own the content model needs a whole sentence, not a fragment ("hes 16 and im 15"),
    # and an adult describing a child needs a cue (their signs read like a disclosure)
    alone = signals.words >= MIN_WORDS_ALONE
    harmful = (harm_score >= CLASSIFIER_HARM_ALONE and alone) or (
        harm_score >= CLASSIFIER_HARM and cued
    )
    if harmful and feeling_only and not alone:
        evidence.unsure_now.append(index)
        harmful = False
    elif harmful:
        evidence.add(evidence.harm, "classifier", index)
    elif harm_score >= CLASSIFIER_UNSURE or scores.get("check", 0.0) >= CLASSIFIER_CHECK:
        evidence.weak.append(index)
    self_harm_score = scores.get("self_harm", 0.0)
    hurting = self_harm_score >= CLASSIFIER_HARM_ALONE or (
        self_harm_score >= CLASSIFIER_SELF_HARM and cued
    )
    if hurting:
        evidence.add(evidence.self_harm, "classifier_self_harm", index)
    shown_by_pattern = bool(signals.of_kind(Kind.HARM) or signals.of_kind(Kind.SELF_HARM))
    # "right now" or "tonight" said with a harm the content model is sure of: the timing model
    # need not be as sure as with no word of time (a word of time alone is still never danger)
    timed = "said_now" in signals.indicators or bool(
        signals.of_kind(Kind.URGENCY) & {"now", "imminent"}
    )
    now = scores.get("now", 0.0)
    # a fragment that names only a warning sign ("they said i owe them") says too little for
    # the timing model's lower bar: that needs a whole sentence, a situation or a word of time
    sure_of_what = timed or situation or (described and alone)
    # a harm the content model is sure of, told as now in so many words ("nhw'n tynnu lluniau
    # ohona i yn y fflat nawr"), is happening now: the timing model reads Welsh words of time
    # less surely than English ones
    said_now_sure = (
        harmful and "said_now" in signals.indicators and harm_score >= CLASSIFIER_HARM_ALONE
    )
    if (
        said_now_sure
        or (shown_by_pattern and now >= CLASSIFIER_DANGER)
        or (
            (harmful or hurting)
            and now >= (CLASSIFIER_DANGER if sure_of_what else _danger_alone(signals))
        )
    ):
        # the timing model judges only what is already shown to be harm
        evidence.add(evidence.urgency, "classifier_danger", index)
    if scores.get("concern", 0.0) >= CLASSIFIER_CONCERN:
        evidence.concern_scores.append(index)
