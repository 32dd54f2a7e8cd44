"""The safety net's reading of each message, as a Rasa NLU component on every channel.

Placed last in the pipeline, it reads every message (inside a form or not): normalises it,
matches the reviewed indicator patterns, adds its own route classifier's probabilities and the
message's language, and stores the result in the parse data as ``safety.signals``
(``bot/safety/signals.py``). It decides nothing on its own: the safety policy
(``bot/safety/policy.py``) weighs the signals of the whole conversation. It also recognises a
quoted reference number, and says honestly that an empty or symbols-only message was not
understood. When the message before raised an escalation on its own, the Rasa server passes that
message's text in the metadata (``PREVIOUS_MESSAGE_KEY``) and the two are also read as one
(``safety.joined``), so a follow-up can take the first back (``bot/safety/withdrawal.py``). It
also passes the person's message before, and a message that carries on its sentence is read
joined to it as well (``safety.continued``, ``bot/safety/continuation.py``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from functools import partial
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.catalogue import load_catalogue
from bot.nlu.learned_data import LearnedDataComponent
from bot.paths import PROJECT_ROOT, safety_data_dir
from bot.safety.classifier import (
    NO_ROUTE,
    WORDS_OF_TIME,
    danger_now_score,
    read_labelled_messages,
    route_scores,
    train_route_classifier,
)
from bot.safety.continuation import continues
from bot.safety.conversation import (
    CONTINUED_KEY,
    CONVERSATION_LANGUAGE_KEY,
    JOINED_KEY,
    MESSAGE_BEFORE_KEY,
    PREVIOUS_MESSAGE_KEY,
    SAFETY_KEY,
)
from bot.safety.evidence import CLASSIFIER_UNSURE
from bot.safety.indicators import EXPLAINING, INDICATORS, READ_AWAY_IN_WELSH, Kind
from bot.safety.language import (
    ENGLISH,
    UNSURE,
    WELSH,
    english_vocabulary,
    message_language,
    welsh_by_its_words,
)
from bot.safety.markup import visible_text
from bot.safety.normalise import normalise
from bot.safety.patterns import Match, PatternSet, SafetyPattern
from bot.safety.signals import TOLD_AT, MessageSignals, read_signals
from bot.safety.welsh import (
    dictionary_headwords,
    known_welsh_words,
    normalise_welsh,
    read_as_radicals,
)
from bot.storage.references import parse_reference

QUOTE_REFERENCE_INTENT = "quote_reference"
WELSH_SAFETY_FILES = "cy_*.csv"
WELSH_NLU_FILE = PROJECT_ROOT / "data" / "nlu" / "cymraeg.yml"
SAFETY_KINDS = (Kind.HARM, Kind.SELF_HARM, Kind.URGENCY)
HARMFUL_ROUTES = ("danger", "disclosure", "self_harm")
WORD = re.compile(r"\S+")
HARM_NAMES = frozenset(n for n, k in INDICATORS.items() if k in (Kind.HARM, Kind.SELF_HARM))


def read_message(
    raw: str,
    normalised: str,
    patterns: PatternSet,
    classifier: Any,
    vocabulary: frozenset[str],
    welsh_words: frozenset[str] = frozenset(),
    conversation_language: str | None = None,
    previous: str | None = None,
) -> MessageSignals:
    """Return the safety signals of one message (as typed, and normalised).

    ``previous``: the message before, when ``raw`` is the two read together (``previous`` and a
    space first): the later one is also read from its own first word for what explains the
    alarm (``_explanations_from``).

    A Welsh message is read with its words in their radical (unmutated) form; in a conversation
    held in Welsh, so is a reply too short to tell ("ma hi'n 14"). Reading as Welsh may add to
    what a message shows, never take from it: when only the reading as written (English
    text-speak expanded: "hes here") shows harm or urgency, that reading is kept, unless the
    Welsh reading reads its words away (``READ_AWAY_IN_WELSH``: "mam yn aros yn y car", "yn y
    gem", "dwi'n aros yn y car tu allan", which the reading as written cannot see). Markup is not
    read as words (``bot.safety.markup``): neither its language nor its length counts.
    """
    raw = visible_text(raw)
    language = message_language(raw, normalised, vocabulary, welsh_words)
    hinted = conversation_language == WELSH and (
        language == UNSURE
        or (language == ENGLISH and welsh_by_its_words(raw, vocabulary, welsh_words, least=1))
    )
    read = partial(
        _signals_in,
        raw=raw,
        patterns=patterns,
        classifier=classifier,
        welsh_words=welsh_words,
        previous=previous,
    )
    if language != WELSH and not hinted:
        return read(language, normalised=normalised)
    as_welsh = read(WELSH, normalised=normalised)
    as_written = read(language if hinted else ENGLISH, normalised=normalised)
    explained = bool(READ_AWAY_IN_WELSH & set(as_welsh.indicators))
    if _shows_danger(as_written) and not _shows_danger(as_welsh) and not explained:
        return replace(as_written, language=WELSH)
    return as_welsh


def _shows_danger(signals: MessageSignals) -> bool:
    return any(signals.of_kind(kind) for kind in SAFETY_KINDS)


def _signals_in(
    language: str,
    raw: str,
    normalised: str,
    patterns: PatternSet,
    classifier: Any,
    welsh_words: frozenset[str],
    previous: str | None = None,
) -> MessageSignals:
    """Read a message in ``language``.

    The timing model (is it happening now?) is asked only about a message that a pattern or the
    content model shows might be harm: for every other message its answer would not be used.
    """
    starts: tuple[int, ...] = ()
    if language == WELSH:
        known = welsh_words or dictionary_headwords()
        normalised = read_as_radicals(normalise_welsh(raw), known)
        if previous is not None:
            before = read_as_radicals(normalise_welsh(visible_text(previous)), known)
            starts = _message_start(normalised, before)
    elif previous is not None:
        starts = _message_start(normalised, normalise(visible_text(previous)))
    matches = patterns.matches(normalised)
    for start in starts:
        matches += _explanations_from(patterns, normalised, start, matches)
    scores = route_scores(classifier, normalised) if classifier and normalised else {}
    harm = sum(scores.get(route, 0.0) for route in HARMFUL_ROUTES)
    if scores and (harm >= CLASSIFIER_UNSURE or any(m.indicator in HARM_NAMES for m in matches)):
        scores["now"] = danger_now_score(classifier, _without_times_of_telling(normalised, matches))
    return read_signals(normalised, matches, scores, language, len(raw.split()))


def _message_start(joined: str, before: str) -> tuple[int, ...]:
    """Return where the later message begins in ``joined``: after as many words as ``before``."""
    count = len(before.split())
    words = [m.start() for m in WORD.finditer(joined)]
    return (words[count],) if 0 < count < len(words) else ()


def _explanations_from(
    patterns: PatternSet, joined: str, start: int, found: list[Match]
) -> list[Match]:
    """Return the explanations read in the later message from its own start, not yet ``found``.

    Read together, a follow-up that says who or what it was from its first word ("ci defaid
    ffarm drws nesa lol", "detention 🙄") no longer begins the text, and a pattern that begins
    with its message would miss it. Only explanations are read so: the follow-up's other signs
    and framing (a question) are the joined text's to show.
    """
    seen = {(m.pattern_id, m.start, m.end) for m in found}
    moved = (
        replace(m, start=m.start + start, end=m.end + start)
        for m in patterns.matches(joined[start:])
        if m.indicator in EXPLAINING
    )
    return [m for m in moved if (m.pattern_id, m.start, m.end) not in seen]


def _without_times_of_telling(normalised: str, matches: list[Match]) -> str:
    """Return the message without the words of time that say when something was told.

    "Tonight he finally told me they make him sell" says when the writer learned it, not that it
    happens tonight: the timing model does not read that "tonight" (the patterns' urgency inside
    such a span is already not counted, ``bot.safety.signals``).
    """
    spans = sorted((m.start, m.end) for m in matches if m.indicator == TOLD_AT)
    if not spans:
        return normalised
    pieces, done = [], 0
    for start, end in spans:
        start = max(start, done)
        pieces += [normalised[done:start], WORDS_OF_TIME.sub(" ", normalised[start:end])]
        done = max(done, end)
    return " ".join("".join([*pieces, normalised[done:]]).split())


def welsh_training_texts() -> set[str]:
    """Return the training messages written in Welsh (``data/safety/cy_*.csv``, the NLU file).

    Known by where they are, not guessed: the identifier misses short and colloquial Welsh,
    whose words must not count as English.
    """
    texts: set[str] = set()
    for path in sorted(safety_data_dir().glob(WELSH_SAFETY_FILES)):
        with path.open(newline="", encoding="utf-8") as handle:
            texts.update(row["text"] for row in csv.DictReader(handle))
    nlu = yaml.safe_load(WELSH_NLU_FILE.read_text(encoding="utf-8")) or {}
    for block in nlu.get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            if line.strip().startswith("- "):
                texts.add(line.strip()[2:].strip())
    return texts


def reviewed_patterns() -> list[tuple[str, str, str, bool, str]]:
    """Return the reviewed patterns in content, as the component learns and keeps them."""
    return [
        (p.id, p.indicator, p.regex, p.literal, p.sha256) for p in load_catalogue().safety_patterns
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyNet(LearnedDataComponent):
    """Read the safety signals of every message; recognise quoted references."""

    def learn(self, training_data: TrainingData) -> dict[str, Any]:
        """Take the reviewed patterns from content; train the route classifier and vocabularies.

        The classifier reads Welsh training messages as it will read Welsh messages: with their
        words in radical form (``bot.safety.welsh``).
        """
        labelled = read_labelled_messages(safety_data_dir())
        others = [(m.get(TEXT), NO_ROUTE) for m in training_data.intent_examples if m.get(TEXT)]
        rows = [(text, route) for text, route, _ in labelled] + others
        for_timing = [timed for _, _, timed in labelled] + [True] * len(others)
        in_welsh = welsh_training_texts()
        welsh = {i for i, (text, _) in enumerate(rows) if text.strip() in in_welsh}
        welsh_words = known_welsh_words(normalise_welsh(rows[i][0]) for i in welsh)
        vocabulary = frozenset(
            english_vocabulary(
                [text for i, (text, _) in enumerate(rows) if i not in welsh], welsh_words
            )
        )
        normalised = [
            read_as_radicals(normalise_welsh(text), welsh_words) if i in welsh else normalise(text)
            for i, (text, _) in enumerate(rows)
        ]
        classifier = train_route_classifier(normalised, [route for _, route in rows], for_timing)
        return {
            "patterns": reviewed_patterns(),
            "classifier": classifier,
            "vocabulary": sorted(vocabulary),
            "welsh_words": sorted(welsh_words),
        }

    def use_patterns(self, patterns: list[tuple[str, str, str, bool, str]]) -> None:
        """Read with ``patterns`` (as :func:`reviewed_patterns` gives them) from now on.

        Nothing else the component learned depends on the patterns, so this reads as a model
        trained with them would (``bot eval --in-process --current-patterns``).
        """
        self._patterns = PatternSet([SafetyPattern(*fields) for fields in patterns])

    def nothing_learned(self) -> dict[str, Any]:
        """Before training there are no patterns, no classifier and no vocabulary."""
        return {"patterns": [], "classifier": None, "vocabulary": [], "welsh_words": []}

    def use(self, learned: dict[str, Any]) -> None:
        """Compile the patterns; keep the classifier and the vocabulary."""
        self.use_patterns(learned["patterns"])
        self._classifier = learned["classifier"]
        self._vocabulary = frozenset(learned["vocabulary"])
        self._welsh_words = frozenset(learned.get("welsh_words", ()))

    def read(
        self,
        raw: str,
        normalised: str | None = None,
        conversation_language: str | None = None,
        patterns_only: bool = False,
        previous: str | None = None,
    ) -> MessageSignals:
        """Return the safety signals of one text (``conversation_language``: the slot's).

        ``patterns_only``: read with the reviewed patterns alone, without the route classifier
        (for a reading whose classifier evidence would not be counted).
        """
        return read_message(
            raw,
            normalise(raw) if normalised is None else normalised,
            self._patterns,
            None if patterns_only else self._classifier,
            self._vocabulary,
            self._welsh_words,
            conversation_language,
            previous,
        )

    def process(self, messages: list[Message]) -> list[Message]:
        """Store each message's safety signals; set the reference and fallback intents."""
        for message in messages:
            raw = message.get(TEXT) or ""
            normalised = normalise(raw)
            metadata = message.get("metadata") or {}
            language = metadata.get(CONVERSATION_LANGUAGE_KEY)
            language = language if isinstance(language, str) else None
            signals = self.read(raw, normalised, language)
            safety = {"signals": signals.as_dict()}
            previous = metadata.get(PREVIOUS_MESSAGE_KEY)
            if isinstance(previous, str) and previous.strip():
                joined = self.read(f"{previous} {raw}", None, language, previous=previous)
                safety[JOINED_KEY] = joined.as_dict()
            before = metadata.get(MESSAGE_BEFORE_KEY)
            before_normalised = normalise(before) if isinstance(before, str) else ""
            if JOINED_KEY not in safety and continues(before_normalised, normalised):
                # only the patterns' reading of the joined text counts (bot/safety/evidence.py)
                safety[CONTINUED_KEY] = self.read(
                    f"{before} {raw}", f"{before_normalised} {normalised}", language, True
                ).as_dict()
            message.set(SAFETY_KEY, safety, add_to_output=True)
            intent = None
            if parse_reference(raw) and not any(signals.of_kind(k) for k in SAFETY_KINDS):
                intent = QUOTE_REFERENCE_INTENT
            elif not normalised:
                # empty, emoji-only or symbols-only: say honestly it was not understood
                intent = DEFAULT_NLU_FALLBACK_INTENT_NAME
            if intent is None:
                continue
            result = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, result, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                [result, *(message.get(INTENT_RANKING_KEY) or [])],
                add_to_output=True,
            )
        return messages
