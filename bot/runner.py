"""Start everything the assistant needs (action server, Rasa server) and stop it all together."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.paths import PROJECT_ROOT, content_dir, var_dir
from bot.training import model_path, quiet_rasa_env

STARTUP_TIMEOUT_SECONDS = 180.0
PURGE_EVERY_SECONDS = 3600
STARTUP_CHECK_SENDER = "bot-run-startup-check"


@dataclass(frozen=True)
class RunSettings:
    """Where the assistant listens and which model and profile it uses."""

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    profile: str = "wiltshire"
    model: Path | None = None
    tracker_db: Path | None = None
    database_url: str | None = None

    @property
    def rasa_url(self) -> str:
        """Return the Rasa server's base URL."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def rest_webhook(self) -> str:
        """Return the REST channel's webhook URL."""
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def actions_url(self) -> str:
        """Return the action server's webhook URL."""
        return f"http://127.0.0.1:{self.actions_port}/webhook"


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up within {timeout:.0f} s")


def _wait_until_answering(settings: RunSettings, process: subprocess.Popen[bytes]) -> None:
    """Fail unless the REST channel replies (without a loaded model Rasa answers nothing)."""
    _wait_until_up(settings.rasa_url + "/", process, STARTUP_TIMEOUT_SECONDS)
    probe = json.dumps({"sender": STARTUP_CHECK_SENDER, "message": "qr:help_menu"}).encode()
    request = urllib.request.Request(
        settings.rest_webhook, probe, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    if not replies:
        raise RuntimeError(
            "The Rasa server is up but sends no replies: the model did not load. See its log above."
        )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running_assistant(settings: RunSettings) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start the action server and the Rasa server; stop both on leaving the block."""
    var_dir().mkdir(parents=True, exist_ok=True)
    env = {
        **quiet_rasa_env(),
        "BOT_ACTION_SERVER_URL": settings.actions_url,
        "BOT_TRACKER_DB": str(settings.tracker_db or var_dir() / "tracker.db"),
        "BOT_LOCAL_PROFILE": settings.profile,
        "BOT_CONTENT_DIR": str(content_dir()),
        **({"BOT_DATABASE_URL": settings.database_url} if settings.database_url else {}),
        "SANIC_HOST": "127.0.0.1",
    }
    processes: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, start_new_session=True
        )
        processes.append(process)
        return process

    try:
        actions = start("rasa_sdk", "--actions", "actions", "-p", str(settings.actions_port))
        rasa = start(
            "bot.rasa_server",
            "run",
            "--model",
            str(settings.model or model_path()),
            "--endpoints",
            str(PROJECT_ROOT / "endpoints.yml"),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
            "--interface",
            settings.host,
            "--port",
            str(settings.rasa_port),
        )
        _wait_until_up(
            f"http://127.0.0.1:{settings.actions_port}/health", actions, STARTUP_TIMEOUT_SECONDS
        )
        _wait_until_answering(settings, rasa)
        yield processes
    finally:
        _stop(processes)


def purge_expired(settings: RunSettings) -> int:
    """Delete conversations past their retention (see bot/storage/retention.py)."""
    from bot.storage.escalations import EscalationStore
    from bot.storage.retention import purge_conversations
    from bot.storage.tracker_store import sqlite_engine

    tracker_db = settings.tracker_db or var_dir() / "tracker.db"
    return purge_conversations(
        sqlite_engine(str(tracker_db)), EscalationStore(settings.database_url)
    )


def serve(settings: RunSettings) -> int:
    """Run until Ctrl-C or until a process exits; return the exit code."""
    stop_requested = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    with running_assistant(settings) as processes:
        print("\nThe assistant is running:")
        print(f"  Rasa server (REST channel): {settings.rest_webhook}")
        print(f"  Action server:              {settings.actions_url}")
        print(f"  Local profile:              {settings.profile}")
        print("Press Ctrl-C to stop everything.\n", flush=True)
        next_purge = 0.0
        while not stop_requested:
            if time.monotonic() >= next_purge:
                purged = purge_expired(settings)
                if purged:
                    print(f"Deleted {purged} conversations past their retention period.")
                next_purge = time.monotonic() + PURGE_EVERY_SECONDS
            exited = [p for p in processes if p.poll() is not None]
            if exited:
                print(f"A process exited (code {exited[0].returncode}); stopping the rest.")
                return 1
            time.sleep(0.5)
    print("Stopped.")
    return 0
