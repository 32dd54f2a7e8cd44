"""Map quick-reply payloads (``qr:<intent>``) to their intent with full confidence.

Buttons in content send ``qr:<intent>``. This component, placed after the statistical
classifier, makes a button press deterministic. Only intents the NLU was trained on are
accepted, so a typed payload cannot reach anything a button could not.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.domain_builder import QUICK_REPLY_PREFIX

logger = logging.getLogger(__name__)
PAYLOAD_PATTERN = re.compile(rf"^{re.escape(QUICK_REPLY_PREFIX)}([a-z_]+)$")


def intent_from_payload(text: str, known_intents: set[str]) -> str | None:
    """Return the intent a quick-reply payload stands for, if it is one we trained on."""
    match = PAYLOAD_PATTERN.match(text.strip())
    if match and match.group(1) in known_intents:
        return match.group(1)
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuickReplyClassifier(GraphComponent, IntentClassifier):
    """Recognise quick-reply payloads exactly; leave every other message untouched."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        known_intents: set[str] | None = None,
    ) -> None:
        """Create the component with the intents it may emit."""
        self._model_storage = model_storage
        self._resource = resource
        self.known_intents = known_intents or set()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> QuickReplyClassifier:
        """Create an untrained component."""
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Remember the intents of the training data and persist them."""
        self.known_intents = set(training_data.intents)
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / "intents.json").write_text(json.dumps(sorted(self.known_intents)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> QuickReplyClassifier:
        """Load the intents stored at training time."""
        with model_storage.read_from(resource) as model_dir:
            intents = set(json.loads((model_dir / "intents.json").read_text()))
        return cls(model_storage, resource, intents)

    def process(self, messages: list[Message]) -> list[Message]:
        """Set intent and ranking for payload messages."""
        for message in messages:
            intent = intent_from_payload(message.get(TEXT) or "", self.known_intents)
            if intent is None:
                continue
            result = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, result, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [result], add_to_output=True)
        return messages
