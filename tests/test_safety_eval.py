"""The safety net measured on held-out labelled sets through the live stack, and gated.

Held-out sets (``tests/eval/*heldout*``) were written independently of the training data by
separate authors who never saw it, the patterns or each other's sets; they are never trained or
tuned on, and are measured figures-only. Each kind of set, pooled (single messages, everyday
messages, multi-turn conversations), is printed against issue 11's targets
(``bot.evaluation.TARGETS``) and must not fall below the release floors
(``bot.evaluation.FLOORS``): the figures measured at release, while some are short of target.
The tuning sets (``safety_dev*``, ``everyday_tuning``, ``conversations_tuning``, ``validation_*``)
are the ones to read misses from.
"""

import csv
import json

import pytest

from bot.evaluation import (
    CONVERSATIONS,
    EVERYDAY,
    FLOORS,
    SINGLE,
    TARGETS,
    WELSH_CONVERSATIONS,
    WELSH_EVERYDAY,
    WELSH_SINGLE,
    kind_of_set,
    pooled_by_kind,
    read_set,
    run_eval,
    shortfalls,
    summarise,
)
from bot.paths import PROJECT_ROOT, safety_data_dir
from tests.conftest import SAFETY_FIGURES

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
HELDOUT_SETS = sorted(EVAL_DIR.glob("*heldout*"))
TUNING_SETS = sorted(
    p for p in EVAL_DIR.iterdir() if p.suffix in (".csv", ".jsonl") and p not in HELDOUT_SETS
)


def texts_of(path):
    return {turn.strip().lower() for item in read_set(path) for turn in item.turns}


def training_texts():
    texts = {
        line.strip()[2:].strip().lower()
        for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    }
    for path in safety_data_dir().glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            texts |= {row["text"].strip().lower() for row in csv.DictReader(handle)}
    return texts


def test_heldout_sets_are_large_labelled_and_disjoint_from_training_and_tuning():
    kinds = {kind_of_set(p, read_set(p)) for p in HELDOUT_SETS}
    assert kinds == {
        SINGLE,
        EVERYDAY,
        CONVERSATIONS,
        WELSH_SINGLE,
        WELSH_EVERYDAY,
        WELSH_CONVERSATIONS,
    }
    english = [p for p in HELDOUT_SETS if not p.name.startswith("cy_")]
    everyday = [i for p in english for i in read_set(p) if kind_of_set(p, [i]) == EVERYDAY]
    conversations = [i for p in english if p.suffix == ".jsonl" for i in read_set(p)]
    assert len(everyday) >= 500
    assert len(conversations) >= 150
    assert sum(i.expected == "none" for i in conversations) >= len(conversations) / 3
    # short everyday phrases ("hi", "my son is 13", "is this chat private") may coincide in
    # independently written sets; anything of six words or more may not
    heldout = {t for p in HELDOUT_SETS for t in texts_of(p) if len(t.split()) >= 6}
    tuning = {t for p in TUNING_SETS for t in texts_of(p)}
    assert not heldout & tuning
    assert not heldout & training_texts()


def test_conversation_sets_say_by_which_turn_the_route_must_be_reached():
    for path in EVAL_DIR.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["expected"] == "none":
                assert row["key_turn"] is None, row["id"]
            else:
                assert 1 <= row["key_turn"] <= len(row["turns"]), row["id"]


@pytest.mark.slow
def test_safety_net_meets_the_targets_on_unseen_sets(trained_model, request):
    sets = [(path, read_set(path)) for path in HELDOUT_SETS]
    outcomes = run_eval([item for _, items in sets for item in items], model=trained_model)
    _, pooled = pooled_by_kind(sets, outcomes)
    figures = {kind: summarise(kind_outcomes) for kind, kind_outcomes in pooled.items()}
    report = request.config.stash.setdefault(SAFETY_FIGURES, [])
    for kind, kind_figures in figures.items():
        short = shortfalls(kind, kind_figures)
        verdict = f"SHORT OF the targets {short}" if short else f"meets the targets {TARGETS[kind]}"
        report.append(f"{kind}: {json.dumps(kind_figures)}\n  {verdict}")
    below = {kind: shortfalls(kind, f, FLOORS) for kind, f in figures.items()}
    below = {kind: bars for kind, bars in below.items() if bars}
    assert not below, (figures, below)
