"""A Redis server of one test or bench alone (Debian's ``redis-server``), on its own port,
to freeze with ``SIGSTOP``, kill and start again empty, disturbing no other test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from lml_devstack import free_port
from lml_devstack.processes import stop, wait_until_ready
from lml_testing.servers import redis_answers

START_TIMEOUT_SECONDS = 10.0


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


class RedisProcess:
    """``redis-server`` on ``127.0.0.1:port``, keeping nothing on disk; ``options`` are more
    of its command-line options (a cluster node's, say)."""

    def __init__(
        self, directory: Path, options: Sequence[str] = (), binary: str | None = None
    ) -> None:
        binary = binary or redis_server_binary()
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self._binary = binary
        self._directory = directory
        self._options = tuple(options)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None
        self._log = open(directory / "redis.log", "a+b")  # noqa: SIM115 - closed by close()

    def start(self) -> None:
        """Start the server, empty, and return once it answers."""
        argv = [
            self._binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self._directory),
            *self._options,
        ]
        self._process = subprocess.Popen(  # noqa: S603 - a trusted binary, no shell
            argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        wait_until_ready(
            lambda: redis_answers(self.url),
            process=self._process,
            what=f"redis-server on port {self.port}",
            log=self._log,
            timeout_seconds=START_TIMEOUT_SECONDS,
        )

    def freeze(self) -> None:
        """Stop the process where it stands: connections stay open, nothing is answered."""
        os.kill(self._pid(), signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self._pid(), signal.SIGCONT)

    def kill(self) -> None:
        """End the server at once (``SIGKILL``): its data is gone, its port refuses."""
        if self._process is not None:
            self.thaw()
            self._process.kill()
            self._process.wait()
            self._process = None

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self.thaw()
            stop(self._process, signal.SIGTERM)
            self._process = None
        self._log.close()

    def _pid(self) -> int:
        assert self._process is not None, "the server is not running"
        return self._process.pid


@contextmanager
def redis_process(directory: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(directory)
    server.start()
    try:
        yield server
    finally:
        server.close()
