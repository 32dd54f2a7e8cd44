"""The safety policy: the conversation-level safety decision, taken before any other.

A Rasa policy sees the whole tracker, so the decision reads every turn of the conversation
(``bot/safety/assessment.py``). After each user message it records the decision in the
``safety`` slot (route, priority, who it is about, indicators and the messages they came from),
which the console shows and ``action_escalate`` stores, and then predicts the reviewed responses
for it one by one (``bot/safety/responses.py``), ending with ``action_listen``. Its priority is
above the RulePolicy's and its predictions count as made without user input, so they win over a
running form's happy path too. When the decision calls for nothing this turn it predicts
nothing, and the rules and stories answer as usual.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.conversation import SAFETY_SLOT, read_conversation
from bot.safety.responses import DEACTIVATE_FORM, response_plan

SAFETY_POLICY_PRIORITY = RULE_POLICY_PRIORITY + 1
AUDIENCE_SLOT = "audience"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class SafetyPolicy(Policy):
    """Decide safety from the whole conversation and predict its reviewed responses."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the default config: a priority above the RulePolicy's."""
        return {POLICY_PRIORITY: SAFETY_POLICY_PRIORITY}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        """Create the policy (it learns nothing: the decision is reviewed rules)."""
        super().__init__(
            {POLICY_PRIORITY: SAFETY_POLICY_PRIORITY, **config},
            model_storage,
            resource,
            execution_context,
            featurizer,
        )

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to train."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Record the decision after a user message, then predict its next response."""
        conversation = read_conversation(tracker.events)
        probabilities = self._default_predictions(domain)
        if not conversation.turns:
            return self._prediction(probabilities)
        audience = tracker.get_slot(AUDIENCE_SLOT)
        assessment = conversation.assessment(audience)
        events = []
        if not conversation.since_latest and not conversation.decided_this_turn:
            events.append(SlotSet(SAFETY_SLOT, assessment.as_slot(conversation.message_ids)))
        plan = response_plan(assessment, conversation.done, len(conversation.turns) - 1, audience)
        if not plan:
            return self._prediction(probabilities, events=events)
        probabilities[
            domain.index_for_action(
                next_action(plan, conversation.since_latest, tracker.active_loop_name)
            )
        ] = 1.0
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)


def next_action(plan: list[str], since_latest: list[str], active_form: str | None) -> str:
    """Return the plan's next action: stop a running form first; listen once it is done."""
    if active_form is not None:
        return DEACTIVATE_FORM
    ran = [name for name in since_latest if name != DEACTIVATE_FORM]
    position = len(ran) if ran == plan[: len(ran)] else len(plan)
    return plan[position] if position < len(plan) else ACTION_LISTEN_NAME
