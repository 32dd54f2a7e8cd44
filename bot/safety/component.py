"""The safety net as a Rasa NLU component: it runs on every message of every channel.

Placed last in the pipeline, it sees the classifier's ranking and the raw text, decides a route
(bot/safety/decision.py) and, when the route is not ``none``, sets the route's intent with full
confidence, overriding whatever was predicted before, inside a form or not. It also recognises a
quoted reference number. Its decision is added to the parse data as ``safety``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
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
from bot.safety.decision import ROUTE_INTENTS, decide
from bot.safety.normalise import normalise
from bot.storage.references import parse_reference

SAFETY_KEY = "safety"
QUOTE_REFERENCE_INTENT = "quote_reference"
PATTERNS_FILE = "patterns.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyNet(GraphComponent, IntentClassifier):
    """Decide the safety route of every message and override the intent when it matters."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        patterns: list[tuple[str, str, str]] | None = None,
    ) -> None:
        """Create the net with ``(id, route, regex)`` patterns."""
        self._model_storage = model_storage
        self._resource = resource
        self.patterns = patterns or []
        self._compiled = [(pid, route, re.compile(rx)) for pid, route, rx in self.patterns]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyNet:
        """Create an untrained net."""
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Take the reviewed patterns from content into the model."""
        catalogue = load_catalogue()
        patterns = [(p.id, p.route, p.regex) for p in catalogue.safety_patterns]
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / PATTERNS_FILE).write_text(json.dumps(patterns))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyNet:
        """Load the patterns trained into the model."""
        with model_storage.read_from(resource) as model_dir:
            patterns = [tuple(p) for p in json.loads((model_dir / PATTERNS_FILE).read_text())]
        return cls(model_storage, resource, patterns)

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
            decision = decide(normalised, confidences, self._compiled)
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
