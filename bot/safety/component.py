"""The safety net's reading of each message, as a Rasa NLU component on every channel.

Placed last in the pipeline, it reads every message (inside a form or not): normalises it,
matches the reviewed indicator patterns, adds its own route classifier's probabilities and the
message's language, and stores the result in the parse data as ``safety.signals``
(``bot/safety/signals.py``). It decides nothing on its own: the safety policy
(``bot/safety/policy.py``) weighs the signals of the whole conversation. It also recognises a
quoted reference number, and says honestly that an empty or symbols-only message was not
understood.
"""

from __future__ import annotations

from typing import Any

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
from bot.paths import safety_data_dir
from bot.safety.classifier import (
    NO_ROUTE,
    danger_now_score,
    read_labelled_messages,
    route_scores,
    train_route_classifier,
)
from bot.safety.conversation import SAFETY_KEY
from bot.safety.evidence import CLASSIFIER_UNSURE
from bot.safety.indicators import INDICATORS, Kind
from bot.safety.language import english_vocabulary, message_language
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet, SafetyPattern
from bot.safety.signals import MessageSignals, read_signals
from bot.storage.references import parse_reference

QUOTE_REFERENCE_INTENT = "quote_reference"
SAFETY_KINDS = (Kind.HARM, Kind.SELF_HARM, Kind.URGENCY)
HARMFUL_ROUTES = ("danger", "disclosure", "self_harm")
HARM_NAMES = frozenset(n for n, k in INDICATORS.items() if k in (Kind.HARM, Kind.SELF_HARM))


def read_message(
    raw: str, normalised: str, patterns: PatternSet, classifier: Any, vocabulary: frozenset[str]
) -> MessageSignals:
    """Return the safety signals of one message (as typed, and normalised).

    The timing model (is it happening now?) is asked only about a message that a pattern or the
    content model shows might be harm: for every other message its answer would not be used.
    """
    matches = patterns.matches(normalised)
    scores = route_scores(classifier, normalised) if classifier and normalised else {}
    harm = sum(scores.get(route, 0.0) for route in HARMFUL_ROUTES)
    if scores and (harm >= CLASSIFIER_UNSURE or any(m.indicator in HARM_NAMES for m in matches)):
        scores["now"] = danger_now_score(classifier, normalised)
    language = message_language(raw, normalised, vocabulary)
    return read_signals(normalised, matches, scores, language, len(raw.split()))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyNet(LearnedDataComponent):
    """Read the safety signals of every message; recognise quoted references."""

    def learn(self, training_data: TrainingData) -> dict[str, Any]:
        """Take the reviewed patterns from content; train the route classifier and vocabulary."""
        labelled = read_labelled_messages(safety_data_dir())
        others = [(m.get(TEXT), NO_ROUTE) for m in training_data.intent_examples if m.get(TEXT)]
        texts = [normalise(text) for text, _ in [*labelled, *others]]
        classifier = train_route_classifier(texts, [route for _, route in [*labelled, *others]])
        vocabulary = english_vocabulary([text for text, _ in [*labelled, *others]])
        patterns = [
            (p.id, p.indicator, p.regex, p.literal, p.sha256)
            for p in load_catalogue().safety_patterns
        ]
        return {"patterns": patterns, "classifier": classifier, "vocabulary": sorted(vocabulary)}

    def nothing_learned(self) -> dict[str, Any]:
        """Before training there are no patterns, no classifier and no vocabulary."""
        return {"patterns": [], "classifier": None, "vocabulary": []}

    def use(self, learned: dict[str, Any]) -> None:
        """Compile the patterns; keep the classifier and the vocabulary."""
        self._patterns = PatternSet([SafetyPattern(*fields) for fields in learned["patterns"]])
        self._classifier = learned["classifier"]
        self._vocabulary = frozenset(learned["vocabulary"])

    def process(self, messages: list[Message]) -> list[Message]:
        """Store each message's safety signals; set the reference and fallback intents."""
        for message in messages:
            raw = message.get(TEXT) or ""
            normalised = normalise(raw)
            signals = read_message(
                raw, normalised, self._patterns, self._classifier, self._vocabulary
            )
            message.set(SAFETY_KEY, {"signals": signals.as_dict()}, add_to_output=True)
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
