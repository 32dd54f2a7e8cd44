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

from collections import OrderedDict
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

from bot.audience import AUDIENCE_SLOT
from bot.safety.conversation import latest_turn, read_conversation
from bot.safety.responses import DEACTIVATE_FORM
from bot.safety.routes import SAFETY_SLOT

SAFETY_POLICY_PRIORITY = RULE_POLICY_PRIORITY + 1
# A turn's decision is taken at its first prediction and reused for the rest of that turn.
TURNS_REMEMBERED = 1024


class UntrainedPolicy(Policy):
    """A policy of reviewed rules: it learns nothing and ranks above the RulePolicy."""

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
        """Create the policy at its priority."""
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


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class SafetyPolicy(UntrainedPolicy):
    """Decide safety from the whole conversation and predict its reviewed responses."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        """Create the policy with an empty memory of the turns decided."""
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._turns: OrderedDict[tuple[Any, ...], tuple[Any, list[str]]] = OrderedDict()

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Record the decision after a user message, then predict its next response."""
        events = list(tracker.events)
        latest, since_latest, decided = latest_turn(events)
        probabilities = self._default_predictions(domain)
        if latest is None:
            return self._prediction(probabilities)
        audience = tracker.get_slot(AUDIENCE_SLOT)
        slot, plan = self._decided(tracker.sender_id, latest, events, audience)
        recorded = []
        if not since_latest and not decided and changed(tracker.get_slot(SAFETY_SLOT), slot):
            recorded.append(SlotSet(SAFETY_SLOT, slot))
        if not plan:
            return self._prediction(probabilities, events=recorded)
        action = next_action(plan, since_latest, tracker.active_loop_name)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=recorded, is_no_user_prediction=True)

    def _decided(
        self, sender_id: str, latest: int, events: list[Any], audience: str | None
    ) -> tuple[dict[str, Any], list[str]]:
        """Return the decision and plan for a turn, taken once and reused for its later steps.

        A turn is known by its message's id (unique per message on every channel); a message
        without one is decided afresh at every step.
        """
        key = (sender_id, events[latest].message_id, latest, audience)
        if key not in self._turns:
            conversation = read_conversation(events)
            assessment, plan = conversation.decide(audience)
            decided = (assessment.as_slot(conversation.message_ids), plan)
            if key[1] is None:
                return decided
            self._turns[key] = decided
            while len(self._turns) > TURNS_REMEMBERED:
                self._turns.popitem(last=False)
        return self._turns[key]


def changed(before: dict[str, Any] | None, decision: dict[str, Any]) -> bool:
    """Return whether a decision needs recording (nothing is recorded while there is nothing)."""
    if before is None:
        return decision["route"] != "none" or bool(decision["indicators"])
    return before != decision


def next_action(plan: list[str], since_latest: list[str], active_form: str | None) -> str:
    """Return the plan's next action: stop a running form first; listen once it is done."""
    if active_form is not None:
        return DEACTIVATE_FORM
    ran = [name for name in since_latest if name != DEACTIVATE_FORM]
    position = len(ran) if ran == plan[: len(ran)] else len(plan)
    return plan[position] if position < len(plan) else ACTION_LISTEN_NAME
