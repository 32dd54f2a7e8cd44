"""Treat a message as not understood when almost none of its words were ever seen in training.

A statistical classifier always picks some intent, often with real confidence, even for
``asdkjh qwe``. This component reads the words the NLU was trained on and, when fewer than
a third of a message's words are among them, sets ``nlu_fallback`` so the assistant says
honestly that it did not understand instead of answering the wrong question.
"""

from __future__ import annotations

import re

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

from bot.nlu.learned_data import LearnedDataComponent

WORD = re.compile(r"[a-z]+")
MIN_KNOWN_SHARE = 1 / 3


def words(text: str) -> list[str]:
    """Return the lower-case alphabetic words of ``text``."""
    return WORD.findall(text.lower())


def mostly_unknown(text: str, vocabulary: set[str]) -> bool:
    """Return whether fewer than a third of the message's words are in ``vocabulary``."""
    found = words(text)
    if not found:
        return False
    known = sum(word in vocabulary for word in found)
    return known / len(found) < MIN_KNOWN_SHARE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsFallback(LearnedDataComponent):
    """Set ``nlu_fallback`` for messages made mostly of words never seen in training."""

    def learn(self, training_data: TrainingData) -> list[str]:
        """Remember the words of every training example."""
        return sorted({w for ex in training_data.intent_examples for w in words(ex.get(TEXT))})

    def use(self, learned: list[str]) -> None:
        """Keep the vocabulary as a set."""
        self.vocabulary = set(learned)

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace the intent with ``nlu_fallback`` for mostly-unknown messages."""
        for message in messages:
            if not mostly_unknown(message.get(TEXT) or "", self.vocabulary):
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
            ranking = [fallback, *(message.get(INTENT_RANKING_KEY) or [])]
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
