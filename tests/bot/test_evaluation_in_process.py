"""Conversations held in-process give what the running assistant gives over HTTP."""

import asyncio

import pytest
from rasa.core.channels.channel import UserMessage

from bot.evaluation import read_set, run_eval
from bot.evaluation_in_process import load_agent, run_in_process
from bot.paths import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"


def what_was_done(outcome):
    return (
        outcome.item.turns,
        outcome.escalated_turn,
        outcome.p1_turn,
        outcome.route,
        outcome.priority,
        outcome.subject,
        outcome.danger_999_turn,
    )


@pytest.mark.slow
def test_in_process_outcomes_are_the_live_stacks(trained_model):
    items = read_set(EVAL_DIR / "validation_conversations.jsonl")
    items += read_set(EVAL_DIR / "validation_singles.csv")[::4]
    live = [what_was_done(o) for o in run_eval(items, trained_model)]
    held_here = [what_was_done(o) for o in run_in_process(items, trained_model)]
    # the sample holds escalations of every kind, danger with 999 shown, and harmless items
    assert {o[4] for o in live} >= {1, 2, None}
    assert any(o[6] for o in live)
    assert held_here == live


@pytest.mark.slow
def test_current_patterns_read_a_pattern_added_to_content_since_training(
    trained_model, content_copy
):
    patterns = content_copy / "safety" / "patterns.yml"
    patterns.write_text(
        patterns.read_text(encoding="utf-8")
        + "  - id: added-since-training\n    indicator: weapon\n    regex: '\\bzqxv\\b'\n",
        encoding="utf-8",
    )

    def indicators(current_patterns):
        agent = load_agent(trained_model, current_patterns)
        message = UserMessage("he has a zqxv", sender_id="test")
        parsed = asyncio.run(agent.processor.parse_message(message))
        return parsed["safety"]["signals"].get("indicators") or {}

    assert indicators(True).get("weapon") == "added-since-training"
    assert "weapon" not in indicators(False)
