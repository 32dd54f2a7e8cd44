"""Throwaway PostgreSQL and Redis for tests and ``bot bench``: Debian's servers, on loopback.

Each starts in a temporary folder on a free loopback port and is removed when stopped.
``make test`` installs the Debian packages (see the Makefile); nothing here downloads anything.
PostgreSQL refuses to run as root, so under root the server runs as the package's ``postgres``
user. Each test gets a database of its own, made from the server's empty template.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis

SERVICE_USER = "postgres"  # the Debian package's user, used when the tests run as root
START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    """Return a loopback port nobody is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_service_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVICE_USER, "--", *command] if os.geteuid() == 0 else command


def _postgres_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make test` (it installs it)")
    return found[-1]


@dataclass
class LocalServer:
    """A running throwaway server: its folder, loopback port and process."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def wait_until_ready(self, ping: Callable[[], object], name: str) -> None:
        """Return once ``ping`` stops raising; stop the server and raise if it never does."""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                ping()
                return
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"{name} did not start") from None
                time.sleep(0.05)


class PostgresServer(LocalServer):
    """A running throwaway PostgreSQL server."""

    def admin_url(self) -> str:
        """Return a URL for the server's ``postgres`` database."""
        return f"postgresql://bot@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        connection = psycopg2.connect(self.admin_url())
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return f"postgresql://bot@127.0.0.1:{self.port}/{name}"


def start_postgres() -> PostgresServer:
    """Initialise a cluster in a new temporary folder and start it on a free loopback port."""
    folder = Path(tempfile.mkdtemp(prefix="bot-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SERVICE_USER)
    data = folder / "data"
    subprocess.run(
        _as_service_user(
            [_postgres_binary("initdb"), "-D", str(data), "-U", "bot", "--auth=trust", "-E", "UTF8"]
        ),
        check=True,
        capture_output=True,
    )
    port = free_port()
    binary = [_postgres_binary("postgres"), "-D", str(data), "-k", str(folder)]
    listen = ["-h", "127.0.0.1", "-p", str(port)]
    # fast and throwaway; every test database has a pool of its own
    settings = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300"]
    process = subprocess.Popen(
        _as_service_user([*binary, *listen, *settings]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = PostgresServer(folder, port, process)
    server.wait_until_ready(lambda: psycopg2.connect(server.admin_url()).close(), "PostgreSQL")
    return server


class RedisServer(LocalServer):
    """A running throwaway Redis server (nothing written to disk)."""

    @property
    def url(self) -> str:
        """Return the server's URL (database 0)."""
        return f"redis://127.0.0.1:{self.port}/0"


def start_redis() -> RedisServer:
    """Start Debian's redis-server on a free loopback port, keeping nothing on disk."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        raise RuntimeError("Redis is not installed: run `make test` (it installs it)")
    folder = Path(tempfile.mkdtemp(prefix="bot-redis-"))
    port = free_port()
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder)]
    process = subprocess.Popen(
        [*command, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = RedisServer(folder, port, process)
    server.wait_until_ready(lambda: redis.Redis.from_url(server.url).ping(), "Redis")
    return server


def child_processes(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is ``pid`` (a server's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found
