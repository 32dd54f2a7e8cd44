"""The safety net as a Rasa NLU component: it runs on every message of every channel.

Placed last in the pipeline, it sees Rasa's intent ranking and the raw text, adds its own route
classifier's view of the normalised text (bot/safety/classifier.py), decides a route
(bot/safety/decision.py) and, when the route is not ``none``, sets the route's intent with full
confidence, overriding whatever was predicted before, inside a form or not. It also recognises a
quoted reference number. Its decision is added to the parse data as ``safety``.
"""

from __future__ import annotations

import re
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
from bot.safety.classifier import NO_ROUTE, route_scores, train_route_classifier
from bot.safety.decision import ROUTE_INTENTS, combined_scores, decide
from bot.safety.normalise import normalise
from bot.storage.references import parse_reference

SAFETY_KEY = "safety"
QUOTE_REFERENCE_INTENT = "quote_reference"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyNet(LearnedDataComponent):
    """Decide the safety route of every message and override the intent when it matters."""

    def learn(self, training_data: TrainingData) -> dict[str, Any]:
        """Take the reviewed patterns from content and train the route classifier."""
        intent_routes = {intent: route for route, intent in ROUTE_INTENTS.items()}
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        classifier = train_route_classifier(
            [normalise(m.get(TEXT)) for m in examples],
            [intent_routes.get(m.get(INTENT), NO_ROUTE) for m in examples],
        )
        patterns = [(p.id, p.route, p.regex) for p in load_catalogue().safety_patterns]
        return {"patterns": patterns, "classifier": classifier}

    def nothing_learned(self) -> dict[str, Any]:
        """Before training there are no patterns and no classifier."""
        return {"patterns": [], "classifier": None}

    def use(self, learned: dict[str, Any]) -> None:
        """Compile the patterns and keep the classifier."""
        self._compiled = [
            (pid, route, re.compile(regex)) for pid, route, regex in learned["patterns"]
        ]
        self._classifier = learned["classifier"]

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the safety decision on every message; override the intent when needed."""
        for message in messages:
            raw = message.get(TEXT) or ""
            confidences = {
                r[INTENT_NAME_KEY]: float(r[PREDICTED_CONFIDENCE_KEY])
                for r in message.get(INTENT_RANKING_KEY) or []
                if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
            }
            normalised = normalise(raw)
            routes = route_scores(self._classifier, normalised) if self._classifier else {}
            decision = decide(normalised, combined_scores(routes, confidences), self._compiled)
            message.set(
                SAFETY_KEY,
                {"route": decision.route, "reasons": decision.reasons},
                add_to_output=True,
            )
            intent = ROUTE_INTENTS.get(decision.route)
            if intent is None and parse_reference(raw):
                intent = QUOTE_REFERENCE_INTENT
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent is None and not normalised and not current:
                # empty, emoji-only or symbols-only: say honestly it was not understood
                intent = DEFAULT_NLU_FALLBACK_INTENT_NAME
            if intent is None:
                if current not in ROUTE_INTENTS.values():
                    continue
                # a safety intent the net did not confirm (a general question): not understood
                intent = DEFAULT_NLU_FALLBACK_INTENT_NAME
            result = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, result, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                [result, *(message.get(INTENT_RANKING_KEY) or [])],
                add_to_output=True,
            )
        return messages
