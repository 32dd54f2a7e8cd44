"""Map quick-reply payloads (``qr:<intent>``) to their intent with full confidence.

Buttons in content send ``qr:<intent>``. This component, placed after the statistical
classifier, makes a button press deterministic. Only intents the NLU was trained on are
accepted, so a typed payload cannot reach anything a button could not.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
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
from bot.nlu.learned_data import LearnedDataComponent

PAYLOAD_PATTERN = re.compile(rf"^{re.escape(QUICK_REPLY_PREFIX)}([a-z_]+)$")


def intent_from_payload(text: str, known_intents: set[str]) -> str | None:
    """Return the intent a quick-reply payload stands for, if it is one we trained on."""
    match = PAYLOAD_PATTERN.match(text.strip())
    if match and match.group(1) in known_intents:
        return match.group(1)
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuickReplyClassifier(LearnedDataComponent):
    """Recognise quick-reply payloads exactly; leave every other message untouched."""

    def learn(self, training_data: TrainingData) -> list[str]:
        """Remember the intents of the training data: the only ones a payload may name."""
        return sorted(training_data.intents)

    def use(self, learned: list[str]) -> None:
        """Keep the intents as a set."""
        self.known_intents = set(learned)

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
