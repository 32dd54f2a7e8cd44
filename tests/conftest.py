"""Shared fixtures: the real content catalogue, a writable copy of content, the trained model,
the assistant's database on each back end (SQLite and a real PostgreSQL server), and Redis."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content.catalogue import Catalogue, load_catalogue
from bot.local_servers import PostgresServer, RedisServer, start_postgres, start_redis
from bot.paths import PROJECT_ROOT
from bot.training import model_path, needs_training, train

# The held-out figures of the safety net, printed at the end of every run that measured them.
SAFETY_FIGURES = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the held-out figures (safety net, Welsh intents) at the end of every run."""
    lines = terminalreporter.config.stash.get(SAFETY_FIGURES, [])
    if lines:
        terminalreporter.section("safety net and Welsh intents on the held-out sets")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(PROJECT_ROOT / "content")


@pytest.fixture()
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable copy of content/, used by the code through BOT_CONTENT_DIR."""
    copy = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", copy)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(copy))
    yield copy


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's trained model, trained first if missing or out of date."""
    if needs_training():
        train()
    return model_path()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole run (Debian's, on loopback)."""
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One throwaway Redis server for the whole run (Debian's, on loopback)."""
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """An empty database for the assistant's tables: a SQLite file, then a PostgreSQL database.

    The run-time folder (keys, the audit log's anchor) is the test's own, as a server's would be.
    """
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path / "var"))
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assistant.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()
