"""Base for NLU components that learn some JSON data at training time and use it at run time."""

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


class LearnedDataComponent(GraphComponent, IntentClassifier):
    """Learn JSON data when trained, keep it in the model, and ``use`` it when loaded."""

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, learned: Any = None
    ) -> None:
        """Create the component with what it learned (nothing before training)."""
        self._model_storage = model_storage
        self._resource = resource
        self.use([] if learned is None else learned)

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

    def learn(self, training_data: TrainingData) -> Any:
        """Return the JSON data to keep, from the training data (or from content)."""
        raise NotImplementedError

    def use(self, learned: Any) -> None:
        """Prepare whatever ``process`` needs from the learned data."""
        raise NotImplementedError

    def train(self, training_data: TrainingData) -> Resource:
        """Learn, persist with the model, and use the result."""
        learned = self.learn(training_data)
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / FILE_NAME).write_text(json.dumps(learned))
        self.use(learned)
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
            learned = json.loads((model_dir / FILE_NAME).read_text())
        return cls(model_storage, resource, learned)
