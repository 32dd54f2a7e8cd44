"""Base for NLU components that learn a set of strings from the training data and persist it."""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.training_data import TrainingData
from typing_extensions import Self

FILE_NAME = "learned.json"


class TrainedSetComponent(GraphComponent, IntentClassifier):
    """Learn ``self.learned`` (a set of strings) at training time; store and load it."""

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, learned: set[str] | None = None
    ) -> None:
        """Create the component with what it learned (empty before training)."""
        self._model_storage = model_storage
        self._resource = resource
        self.learned = learned or set()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        """Create an untrained component."""
        return cls(model_storage, resource)

    def learn(self, training_data: TrainingData) -> set[str]:
        """Return what to remember from the training data."""
        raise NotImplementedError

    def train(self, training_data: TrainingData) -> Resource:
        """Learn from the training data and persist it with the model."""
        self.learned = self.learn(training_data)
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / FILE_NAME).write_text(json.dumps(sorted(self.learned)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        """Load what was learned at training time."""
        with model_storage.read_from(resource) as model_dir:
            learned = set(json.loads((model_dir / FILE_NAME).read_text()))
        return cls(model_storage, resource, learned)
