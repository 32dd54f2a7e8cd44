"""Build the domain from content and train the model when it is missing or out of date."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bot.content.catalogue import load_catalogue
from bot.content.domain_builder import write_built_domain
from bot.paths import PROJECT_ROOT, built_domain_dir, content_dir, models_dir, training_inputs

MODEL_NAME = "cse-assistant"


def model_path() -> Path:
    """Return where the trained model lives."""
    return models_dir() / f"{MODEL_NAME}.tar.gz"


def needs_training(model: Path | None = None) -> bool:
    """Return whether the model is missing or older than any of its inputs.

    The data and content folders count too: removing a training file changes only its folder.
    (Not the project's root or the code's folders, which running the bot writes into.)
    """
    model = model or model_path()
    if not model.exists():
        return True
    built_at = model.stat().st_mtime
    inputs = training_inputs()
    sources = (PROJECT_ROOT / "data", content_dir())
    folders = {p.parent for p in inputs if any(p.is_relative_to(root) for root in sources)}
    return any(path.stat().st_mtime > built_at for path in (*inputs, *folders))


def build_domain() -> Path:
    """Validate content and write the domain with generated responses; return its folder."""
    return write_built_domain(load_catalogue(), built_domain_dir())


def rasa_command(*args: str) -> list[str]:
    """Return a command line that runs the Rasa CLI of this environment."""
    return [sys.executable, "-m", "rasa", *args]


def quiet_rasa_env() -> dict[str, str]:
    """Return an environment for Rasa subprocesses without telemetry or TensorFlow chatter."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TQDM_DISABLE": "1",
    }


def train(force: bool = False, config: Path | None = None, out: Path | None = None) -> Path:
    """Train the model if needed (always with ``force``); return the model path."""
    model = out or model_path()
    if not force and not needs_training(model):
        print(f"Model is up to date: {model}")
        return model
    inputs_read_at = time.time()
    domain = build_domain()
    started = time.monotonic()
    subprocess.run(
        rasa_command(
            "train",
            "--config",
            str(config or PROJECT_ROOT / "config.yml"),
            "--domain",
            str(domain),
            "--data",
            str(PROJECT_ROOT / "data"),
            "--out",
            str(model.parent),
            "--fixed-model-name",
            model.name.removesuffix(".tar.gz"),
            # Rasa's cache knows data and config but not our component code: retrain it all
            "--force",
        ),
        check=True,
        cwd=PROJECT_ROOT,
        env=quiet_rasa_env(),
    )
    # dated when its inputs were read: an input changed during training makes it out of date
    # (Rasa also skips unchanged inputs without rewriting the file)
    os.utime(model, (inputs_read_at, inputs_read_at))
    print(f"Trained {model} in {time.monotonic() - started:.1f} s")
    return model
