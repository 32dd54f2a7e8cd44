"""The safety net measured on held-out labelled sets through the live stack.

The held-out sets (``tests/eval/safety_heldout*.csv``) were written independently of the
training data by separate authors who never saw it, are never trained or tuned on, and are
measured figures-only. Pooled, they must meet the issue's targets: must-escalate recall >= 0.98,
danger recall >= 0.97, false escalation <= 0.05. The development sets
(``safety_dev*.csv``) are the ones to read misses from and tune on.
"""

import pytest

from bot.evaluation import TARGETS, meets_targets, read_labelled, run_eval, summarise
from bot.paths import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
HELDOUT_SETS = sorted(EVAL_DIR.glob("safety_heldout*.csv"))
DEV_SETS = sorted(EVAL_DIR.glob("safety_dev*.csv"))
ROUTES = {"danger", "disclosure", "concern", "info", "other"}


def test_heldout_sets_are_large_labelled_and_disjoint_from_training_and_tuning():
    heldout = [row for path in HELDOUT_SETS for row in read_labelled(path)]
    assert len(HELDOUT_SETS) >= 2
    assert len(heldout) >= 400
    assert {route for _, route in heldout} == ROUTES
    # short everyday phrases ("hi", "are you a bot") may coincide; anything longer may not
    texts = {text.strip().lower() for text, _ in heldout if len(text.split()) >= 4}
    tuning = {text.strip().lower() for path in DEV_SETS for text, _ in read_labelled(path)}
    training = {
        line.strip()[2:].strip().lower()
        for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    }
    assert not texts & tuning
    assert not texts & training


@pytest.mark.slow
def test_safety_net_meets_the_targets_on_unseen_messages(trained_model):
    rows = [row for path in HELDOUT_SETS for row in read_labelled(path)]
    figures = summarise(run_eval(rows, model=trained_model))
    print(figures)
    assert meets_targets(figures), (figures, TARGETS)
