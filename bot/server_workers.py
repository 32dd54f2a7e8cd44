"""Sanic's server workers, kept running: a worker that dies is replaced (fix 10).

With ``--workers N`` Rasa hands its app to Sanic 21.12, whose ``serve_multiple`` forks N workers
on one listening socket and then only waits for them. On one socket the first worker to wake
accepts a whole burst of connections (asyncio accepts up to the backlog at once) and keeps them:
measured, two workers served 1.04 times what one did. And a worker killed by the kernel (out of
memory) or by accident is never replaced, and the server quietly loses capacity until it has
none. This replacement starts the same workers the same way and, until the server is told to
stop, starts a new worker for any that exits. Work in flight on a dead worker is not lost: its
conversation locks expire (Rasa's lock lifetime), its texts are taken again when their lease
runs out (``bot/storage/sms_inbound.py``), and escalations were committed before anyone was
told their reference.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import time
from typing import Any

from sanic.server.events import trigger_events
from sanic.server.runners import serve

logger = logging.getLogger(__name__)
CHECK_SECONDS = 0.5  # how often the main process looks for a worker that died
FAILURES_BEFORE_GIVING_UP = 3  # workers in a row that exited with an error by themselves


def serve_supervised(server_settings: dict[str, Any], workers: int) -> None:
    """Serve with ``workers`` forked processes on one socket, replacing any that dies."""
    server_settings["reuse_port"] = True
    server_settings["run_multiple"] = True
    main_start = server_settings.pop("main_start", None)
    main_stop = server_settings.pop("main_stop", None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    trigger_events(main_start, loop)
    # each worker binds a socket of its own on the same port (SO_REUSEPORT), and the kernel
    # spreads new connections across them; with one shared socket the first worker to wake
    # accepts a whole burst of connections and keeps them (kept alive), doing all the work
    server_settings["sock"] = None
    context = multiprocessing.get_context("fork")
    stopping = False

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=serve, kwargs=server_settings, daemon=True)
        process.start()
        return process

    processes = [start() for _ in range(workers)]

    def stop(received: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        logger.info("Received %s: stopping the workers", signal.Signals(received).name)
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    failures = 0
    while not stopping:
        for index, process in enumerate(processes):
            if process.is_alive() or stopping:
                continue
            logger.warning("A server worker exited (%s); starting another", process.exitcode)
            # a worker that fails by itself (not killed by a signal) again and again cannot
            # start at all (a broken model or database): stop rather than restart for ever
            failures = failures + 1 if (process.exitcode or 0) > 0 else 0
            if failures >= FAILURES_BEFORE_GIVING_UP:
                logger.error("Server workers keep failing; stopping the server")
                stop(signal.SIGTERM, None)
                break
            processes[index] = start()
        time.sleep(CHECK_SECONDS)
    for process in processes:
        process.join()
    trigger_events(main_stop, loop)
    loop.close()
