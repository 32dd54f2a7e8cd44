"""Start everything the assistant needs (action server, Rasa server) and stop it all together."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.channels.phone_numbers import KEY_ENV_VAR as SMS_KEY_ENV_VAR
from bot.channels.phone_numbers import KEY_FILE_NAME as SMS_KEY_FILE_NAME
from bot.channels.sms_receiver import WEBHOOK_PATH
from bot.keys import action_secret, load_or_create_key
from bot.paths import PROJECT_ROOT, content_dir, var_dir
from bot.storage.database import conversations_url, create_engine, database_url
from bot.storage.escalation_window import WITHDRAWAL_WINDOW_SETTING
from bot.storage.lock_store import LOCK_STORE_SETTING, REDIS_URL_SETTING, lock_store_type
from bot.storage.sms_inbound import GENERATION_SETTING
from bot.training import model_path, quiet_rasa_env

logger = logging.getLogger(__name__)
STARTUP_TIMEOUT_SECONDS = 180.0
PURGE_EVERY_SECONDS = 3600
STARTUP_CHECK_SENDER = "bot-run-startup-check"


@dataclass(frozen=True)
class RunSettings:
    """Where the assistant listens and which model and profile it uses."""

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    sms_port: int = 5006  # Twilio's webhooks (bot/channels/sms_receiver.py)
    profile: str = "wiltshire"
    model: Path | None = None
    tracker_db: Path | None = None
    database_url: str | None = None
    exit_url: str | None = None  # where quick exit goes (BOT_WEBCHAT_EXIT_URL by default)
    log_file: Path | None = None  # the servers' output; the terminal when None
    rest_channel: bool = True  # the REST channel, for development and tests (never production)
    # seconds an escalation raised by one message waits for a follow-up (None: as configured)
    withdrawal_window: float | None = None
    # the scaled profile: Rasa server processes, and the Redis that shares their locks
    workers: int = 1
    redis_url: str | None = None

    def __post_init__(self) -> None:
        """Refuse several workers without the shared services they need."""
        if self.workers < 1:
            raise ValueError("--workers must be at least 1")
        if self.workers > 1 and not self.redis_url:
            raise ValueError("several workers need BOT_REDIS_URL (Redis) to share their locks")
        if self.workers > 1 and (self.database_url or database_url()).startswith("sqlite"):
            raise ValueError("several workers need BOT_DATABASE_URL to be PostgreSQL")

    @classmethod
    def isolated(
        cls, work_dir: Path, model: Path | None = None, exit_url: str | None = None
    ) -> RunSettings:
        """Return settings on free loopback ports with databases of their own in ``work_dir``."""
        return cls(
            rasa_port=free_port(),
            actions_port=free_port(),
            sms_port=free_port(),
            model=model,
            tracker_db=work_dir / "tracker.db",
            database_url=f"sqlite:///{work_dir / 'assistant.db'}",
            exit_url=exit_url,
            log_file=work_dir / "assistant.log",
        )

    @property
    def tracker_db_path(self) -> Path:
        """Return the tracker store's SQLite file (used when the database is SQLite)."""
        return self.tracker_db or var_dir() / "tracker.db"

    @property
    def tracker_url(self) -> str:
        """Return where conversations are kept: beside the assistant's database."""
        return conversations_url(self.database_url or database_url(), self.tracker_db_path)

    @property
    def rasa_url(self) -> str:
        """Return the Rasa server's base URL."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def rest_webhook(self) -> str:
        """Return the REST channel's webhook URL."""
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def sms_webhook(self) -> str:
        """Return the SMS receiver's webhook URL (the one Twilio is told to call)."""
        return f"http://{self.host}:{self.sms_port}{WEBHOOK_PATH}"

    @property
    def actions_url(self) -> str:
        """Return the action server's webhook URL."""
        return f"http://127.0.0.1:{self.actions_port}/webhook"


def free_port() -> int:
    """Return a TCP port on loopback that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def send_message(
    webhook: str, sender: str, text: str, timeout: float = 60
) -> list[dict[str, object]]:
    """Send ``text`` as ``sender`` to a REST webhook; return the bot's replies."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(webhook, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        replies: list[dict[str, object]] = json.loads(response.read())
    return replies


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
    """Fail unless every worker listens and (in development) the REST channel replies."""
    _wait_until_up(settings.rasa_url + "/", process, STARTUP_TIMEOUT_SECONDS)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    # each worker listens once its model has loaded (a socket of its own on the port)
    while settings.workers > 1 and listening_sockets(settings.rasa_port) < settings.workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Not all {settings.workers} server workers started")
        time.sleep(0.3)
    if settings.rest_channel and not send_message(
        settings.rest_webhook, STARTUP_CHECK_SENDER, "qr:help_menu"
    ):
        raise RuntimeError(
            "The Rasa server is up but sends no replies: the model did not load. See its log above."
        )


def listening_sockets(port: int) -> int:
    """Return how many sockets listen on TCP ``port`` (IPv4, from ``/proc/net/tcp``)."""
    listening = "0A"
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == listening:
            count += 1
    return count


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
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set ``values`` in this process's environment for the block, then put back what was."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def running_assistant(settings: RunSettings) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start the action server and the Rasa server; stop both on leaving the block."""
    var_dir().mkdir(parents=True, exist_ok=True)
    env = {
        **quiet_rasa_env(),
        "BOT_ACTION_SERVER_URL": settings.actions_url,
        "BOT_ACTION_SECRET": action_secret(),
        "BOT_ENABLE_REST": "1" if settings.rest_channel else "0",
        "BOT_TRACKER_URL": settings.tracker_url,
        "BOT_LOCAL_PROFILE": settings.profile,
        "BOT_CONTENT_DIR": str(content_dir()),
        **({"BOT_DATABASE_URL": settings.database_url} if settings.database_url else {}),
        **({"BOT_WEBCHAT_EXIT_URL": settings.exit_url} if settings.exit_url else {}),
        **(
            {WITHDRAWAL_WINDOW_SETTING: str(settings.withdrawal_window)}
            if settings.withdrawal_window is not None
            else {}
        ),
        # where people reach the assistant: its scheme decides whether cookies are Secure
        "BOT_PUBLIC_URL": os.environ.get("BOT_PUBLIC_URL") or settings.rasa_url,
        "SANIC_HOST": "127.0.0.1",
        "SANIC_WORKERS": str(settings.workers),
        GENERATION_SETTING: uuid.uuid4().hex,  # the workers of this start, told apart from earlier
        REDIS_URL_SETTING: settings.redis_url or "",
        LOCK_STORE_SETTING: lock_store_type(settings.redis_url),
        "SANIC_ACCESS_LOG": "False",  # access logs would record client addresses
    }
    processes: list[subprocess.Popen[bytes]] = []
    log = settings.log_file.open("ab") if settings.log_file else None

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=PROJECT_ROOT,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
        )
        processes.append(process)
        return process

    try:
        actions = start(
            "bot.action_server", "--actions", "actions", "-p", str(settings.actions_port)
        )
        # before the servers start: the receiver seals texts with the key the Rasa server opens
        load_or_create_key(SMS_KEY_ENV_VAR, SMS_KEY_FILE_NAME)
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
        receiver = start(
            "bot.channels.sms_receiver", "--host", settings.host, "--port", str(settings.sms_port)
        )
        _wait_until_up(
            f"http://127.0.0.1:{settings.actions_port}/health", actions, STARTUP_TIMEOUT_SECONDS
        )
        _wait_until_up(
            f"http://127.0.0.1:{settings.sms_port}/health", receiver, STARTUP_TIMEOUT_SECONDS
        )
        try:
            _wait_until_answering(settings, rasa)
        except (RuntimeError, TimeoutError) as error:
            if settings.log_file is None:
                raise
            tail = settings.log_file.read_text(errors="replace").splitlines()[-40:]
            message = f"{error}; end of {settings.log_file}:\n" + "\n".join(tail)
            raise RuntimeError(message) from error
        yield processes
    finally:
        _stop(processes)
        if log:
            log.close()


def retention_purger(settings: RunSettings) -> Callable[[], int]:
    """Return a function that deletes conversations past their retention period."""
    from bot.storage.escalations import EscalationStore
    from bot.storage.retention import purge_conversations

    tracker_engine = create_engine(settings.tracker_url)
    escalations = EscalationStore(settings.database_url)
    return lambda: purge_conversations(tracker_engine, escalations)


def _purge_safely(purge: Callable[[], int]) -> None:
    """Purge; a failure is logged and retried later, never a reason to stop the assistant."""
    try:
        purged = purge()
    except Exception:
        logger.exception("retention purge failed; it will be tried again")
        return
    if purged:
        print(f"Deleted {purged} conversations past their retention period.")


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
        print(f"  Web chat page:              {settings.rasa_url}/webchat")
        print(f"  Embed in a council page:    {settings.rasa_url}/webchat/embed.js")
        print(f"  Duty-worker console:        {settings.rasa_url}/console")
        print(f"  Rasa server (REST channel): {settings.rest_webhook}")
        print(f"  Action server:              {settings.actions_url}")
        print(f"  SMS webhook (for Twilio):   {settings.sms_webhook}")
        print(f"  Local profile:              {settings.profile}")
        print("Press Ctrl-C to stop everything.\n", flush=True)
        purge = retention_purger(settings)
        next_purge = 0.0
        while not stop_requested:
            if time.monotonic() >= next_purge:
                _purge_safely(purge)
                next_purge = time.monotonic() + PURGE_EVERY_SECONDS
            exited = [p for p in processes if p.poll() is not None]
            if exited:
                print(f"A process exited (code {exited[0].returncode}); stopping the rest.")
                return 1
            time.sleep(0.5)
    print("Stopped.")
    return 0
