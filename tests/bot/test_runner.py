"""`bot run` starts everything and Ctrl-C stops every process it started."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.cli import main
from bot.runner import RunSettings, free_port, listening_sockets, running_assistant
from tests.e2e.conftest import Conversation

pytestmark = pytest.mark.slow


def proc_stat(pid: int | str) -> list[str] | None:
    """Return the fields after the command name in /proc/PID/stat (state, parent, ...)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children_of(pid: int) -> set[int]:
    return {
        int(entry)
        for entry in os.listdir("/proc")
        if entry.isdigit() and (stat := proc_stat(entry)) and int(stat[1]) == pid
    }


@contextmanager
def bot_run(*args: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """Start `bot run`; whatever the test does, nothing it started outlives it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def read_until_running(process: subprocess.Popen[str]) -> str:
    output = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        output.append(line)
        if "Press Ctrl-C" in line or process.poll() is not None:
            break
    return "".join(output)


def test_ctrl_c_stops_the_rasa_action_and_sms_servers(trained_model, tmp_path):
    rasa_port, actions_port, sms_port = free_port(), free_port(), free_port()
    env = {**os.environ, "BOT_VAR_DIR": str(tmp_path)}
    ports = ("--rasa-port", str(rasa_port), "--actions-port", str(actions_port))
    with bot_run(*ports, "--sms-port", str(sms_port), env=env) as process:
        text = read_until_running(process)
        assert f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook" in text, text[-2000:]
        assert f"http://127.0.0.1:{actions_port}/webhook" in text
        assert f"http://127.0.0.1:{sms_port}/webhooks/sms/webhook" in text
        started = children_of(process.pid)
        assert len(started) == 3

        webhook = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
        assert Conversation(webhook).say("what is grooming")

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        for pid in started:
            stat = proc_stat(pid)
            assert stat is None or stat[0] == "Z", f"process {pid} still running"


def test_a_server_that_cannot_load_its_model_is_never_reported_as_running(tmp_path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a model")
    settings = RunSettings.isolated(tmp_path, broken)
    with pytest.raises(RuntimeError, match="sends no replies"), running_assistant(settings):
        pytest.fail("the assistant was reported as running")


def test_several_workers_are_refused_without_postgresql_and_redis(monkeypatch, capsys):
    monkeypatch.delenv("BOT_REDIS_URL", raising=False)
    monkeypatch.delenv("BOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "wiltshire")  # `bot run` sets it; restored after
    postgres = "postgresql://bot@127.0.0.1:5432/cse"
    with pytest.raises(ValueError, match="BOT_REDIS_URL"):
        RunSettings(workers=2, database_url=postgres)
    with pytest.raises(ValueError, match="PostgreSQL"):
        RunSettings(workers=2, redis_url="redis://127.0.0.1:6379/0")
    assert RunSettings(workers=2, database_url=postgres, redis_url="redis://x").workers == 2
    assert main(["run", "--workers", "2"]) == 2  # told why, nothing started
    assert "Cannot start" in capsys.readouterr().out


def test_listening_sockets_are_counted_per_port():
    port = free_port()
    assert listening_sockets(port) == 0
    with socket.socket() as first, socket.socket() as second:
        for listener in (first, second):
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            listener.bind(("127.0.0.1", port))
            listener.listen()
        assert listening_sockets(port) == 2
