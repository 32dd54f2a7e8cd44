"""Where the project's files live: one place to resolve every path the code uses."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    """Return the content folder (``BOT_CONTENT_DIR`` overrides, e.g. for a reviewed copy)."""
    return Path(os.environ.get("BOT_CONTENT_DIR", PROJECT_ROOT / "content"))


def build_dir() -> Path:
    """Return the folder for generated files (the Rasa domain built from content)."""
    return Path(os.environ.get("BOT_BUILD_DIR", PROJECT_ROOT / "build"))


def built_domain_dir() -> Path:
    """Return the folder holding ``domain.yml`` plus the responses generated from content."""
    return build_dir() / "domain"


def models_dir() -> Path:
    """Return the folder for trained models (never committed)."""
    return Path(os.environ.get("BOT_MODELS_DIR", PROJECT_ROOT / "models"))


def var_dir() -> Path:
    """Return the folder for run-time data such as the SQLite databases (never committed)."""
    return Path(os.environ.get("BOT_VAR_DIR", PROJECT_ROOT / "var"))


def safety_data_dir() -> Path:
    """Return the folder of the safety net's labelled training messages (``*.csv``)."""
    return PROJECT_ROOT / "data" / "safety"


def training_inputs() -> list[Path]:
    """Return every file a trained model depends on: data, content, config, domain, components."""
    roots = [PROJECT_ROOT / "data", content_dir()]
    files = [p for root in roots for p in sorted(root.rglob("*.yml"))]
    files += sorted(safety_data_dir().glob("*.csv"))
    components = [
        *sorted((PROJECT_ROOT / "bot" / "nlu").glob("*.py")),
        *sorted((PROJECT_ROOT / "bot" / "safety").glob("*.py")),
    ]
    return [*files, *components, PROJECT_ROOT / "config.yml", PROJECT_ROOT / "domain.yml"]
