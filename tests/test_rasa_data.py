"""Rasa's own checks on the training data and the test stories (real Rasa CLI)."""

import subprocess
import sys

import pytest

from bot.paths import PROJECT_ROOT
from bot.training import build_domain, quiet_rasa_env

pytestmark = pytest.mark.slow


def rasa(*args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=PROJECT_ROOT,
        env=quiet_rasa_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_rasa_data_validate_fails_on_no_warnings():
    domain = build_domain()
    result = rasa(
        "data",
        "validate",
        "--fail-on-warnings",
        "--domain",
        str(domain),
        "--data",
        "data",
        "--config",
        "config.yml",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_test_stories_cover_every_flow_without_prediction_errors(trained_model, tmp_path):
    # `rasa test core` only: plain `rasa test` would also run a full NLU evaluation over
    # data/nlu, which asserts nothing here and took two thirds of this test's time.
    result = rasa(
        "test",
        "core",
        "--model",
        str(trained_model),
        "--stories",
        "tests/stories",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
        "--no-plot",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "None of the test stories failed" in (tmp_path / "failed_test_stories.yml").read_text()
