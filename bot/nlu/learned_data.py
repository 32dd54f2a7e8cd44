"""Base for NLU components that learn some data at training time and use it at run time."""

from __future__ import annotations

from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.training_data import TrainingData
from typing_extensions import Self

FILE_NAME = "learned.joblib"


class LearnedDataComponent(GraphComponent, IntentClassifier):
    """Learn data when trained, keep it in the model, and ``use`` it when loaded."""

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, learned: Any = None
    ) -> None:
        """Create the component with what it learned (nothing before training)."""
        self._model_storage = model_storage
        self._resource = resource
        self.use(self.nothing_learned() if learned is None else learned)

    def nothing_learned(self) -> Any:
        """Return what ``use`` is given before training: an empty list unless overridden."""
        return []

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
        """Return the data to keep, from the training data (or from content)."""
        raise NotImplementedError

    def use(self, learned: Any) -> None:
        """Prepare whatever ``process`` needs from the learned data."""
        raise NotImplementedError

    def train(self, training_data: TrainingData) -> Resource:
        """Learn, persist with the model, and use the result."""
        learned = self.learn(training_data)
        with self._model_storage.write_to(self._resource) as model_dir:
            joblib.dump(learned, model_dir / FILE_NAME)
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
            learned = joblib.load(model_dir / FILE_NAME)
        return cls(model_storage, resource, learned)
