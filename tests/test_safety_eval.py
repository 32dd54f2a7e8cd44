"""The safety net measured on the held-out labelled set through the live stack.

The issue's targets are must-escalate recall >= 0.98, danger recall >= 0.97 and false
escalation <= 0.05. They are NOT met yet (see README and the note on issue 3). Until they are,
this test holds the line at the last measured figures, so the net can only get better.
"""

import pytest

from bot.evaluation import read_labelled, run_eval, summarise
from bot.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow

HELDOUT = PROJECT_ROOT / "tests" / "eval" / "safety_heldout.csv"
# Last measured on the held-out set (2026-11-21): 0.9045, 0.866, 0.039.
REGRESSION_FLOOR = {"must_escalate_recall": 0.89, "danger_recall": 0.85}
REGRESSION_CEILING = {"false_escalation_rate": 0.05}


def test_heldout_set_is_large_and_labelled():
    rows = read_labelled(HELDOUT)
    assert len(rows) >= 400
    assert {route for _, route in rows} == {"danger", "disclosure", "concern", "info", "other"}


def test_safety_net_does_not_fall_below_its_last_measured_figures(trained_model):
    figures = summarise(run_eval(read_labelled(HELDOUT), model=trained_model))
    print(figures)
    for key, floor in REGRESSION_FLOOR.items():
        assert figures[key] >= floor, (key, figures)
    for key, ceiling in REGRESSION_CEILING.items():
        assert figures[key] <= ceiling, (key, figures)
