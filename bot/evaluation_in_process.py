"""``bot eval --in-process``: hold the labelled conversations without the servers, for tuning.

The same trained model, the same Rasa processor with the project's fixes (``bot/rasa_server.py``)
and the same actions (rasa-sdk's executor running the ``actions`` package), on a database of
their own. Only the network is left out: the processor calls the actions in this process rather
than over HTTP, and conversations are kept in memory rather than in the tracker store. Every
tuning set is read in about half the time the running assistant takes, and each outcome is the
one the live stack gives (``tests/bot/test_evaluation_in_process.py``). The held-out gate in
``make test`` still holds its conversations over HTTP with the running assistant
(``bot/evaluation.py``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.log_utils import configure_structlog
from rasa_sdk.executor import ActionExecutor

from bot.evaluation import Item, Outcome, outcome_of
from bot.rasa_server import apply_fixes
from bot.runner import environment
from bot.safety.component import SafetyNet, reviewed_patterns
from bot.storage.escalations import EscalationStore
from bot.training import model_path

ACTIONS_PACKAGE = "actions"
CHANNEL = "rest"
# conversations are split between this many processes (the CI machine has two cores)
PROCESSES = max(1, min(2, os.cpu_count() or 1))


class InProcessActions(EndpointConfig):
    """The action endpoint, answered by rasa-sdk's executor in this process instead of HTTP."""

    def __init__(self, executor: ActionExecutor) -> None:
        """Answer every action call with ``executor``."""
        super().__init__(url="in-process://actions")
        self._executor = executor

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Run the action call in ``kwargs['json']`` as the action server would."""
        return await self._executor.run(kwargs["json"]) or {"events": [], "responses": []}


def load_agent(model: Path, current_patterns: bool = False) -> Agent:
    """Load the trained model with the project's fixes, its actions run in this process.

    ``current_patterns``: the safety net reads with the reviewed patterns now in content rather
    than those the model was trained with (no retraining needed after a pattern changes).
    """
    apply_fixes()
    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    agent = Agent.load(str(model), action_endpoint=InProcessActions(executor))
    if current_patterns:
        patterns = reviewed_patterns()
        # Rasa 3.6 gives no public way to reach a loaded component; its graph runner holds them
        for node in agent.processor.graph_runner._instantiated_nodes.values():
            if isinstance(node._component, SafetyNet):
                node._component.use_patterns(patterns)
    return agent


async def _converse(agent: Agent, store: EscalationStore, item: Item) -> Outcome:
    sender = f"eval-{uuid.uuid4().hex}"
    replies: list[list[str]] = []
    after_each = []
    for text in item.turns:
        channel = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, channel, sender, input_channel=CHANNEL))
        replies.append([str(m.get("text") or "") for m in channel.messages])
        after_each.append(store.all_for(sender))
    return outcome_of(item, replies, after_each)


def _hold(items: list[Item], model: Path, current_patterns: bool = False) -> list[Outcome]:
    """Hold ``items`` one after another in this process, on a database of its own."""
    configure_structlog(logging.ERROR)
    logging.getLogger().setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'assistant.db'}"
        with environment({"BOT_DATABASE_URL": url}):
            agent = load_agent(model, current_patterns)
            store = EscalationStore(url)

            async def hold_all() -> list[Outcome]:
                return [await _converse(agent, store, item) for item in items]

            return asyncio.run(hold_all())


def run_in_process(
    items: list[Item], model: Path | None = None, current_patterns: bool = False
) -> list[Outcome]:
    """Hold every labelled conversation in-process (split over ``PROCESSES``); the outcomes."""
    model = model or model_path()
    if PROCESSES == 1 or len(items) < 2 * PROCESSES:
        return _hold(items, model, current_patterns)
    # dealt out in turn, so that each process gets its share of long conversations
    shares = [items[start::PROCESSES] for start in range(PROCESSES)]
    with ProcessPoolExecutor(PROCESSES) as pool:
        held = list(pool.map(_hold, shares, [model] * PROCESSES, [current_patterns] * PROCESSES))
    return [held[index % PROCESSES][index // PROCESSES] for index in range(len(items))]
