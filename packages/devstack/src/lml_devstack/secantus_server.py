"""SecantusDB, a MongoDB-wire-compatible server, as a child process on 127.0.0.1.

SecantusDB is a development dependency: it is run as an executable, never imported.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pymongo
import pymongo.errors

from lml_devstack.processes import free_port, serving, stop_leftover

EXECUTABLE = "secantusd-py"
START_TIMEOUT_SECONDS = 60.0
PID_FILE = "secantusd.pid"


class ExecutableNotFound(FileNotFoundError):
    """The SecantusDB launcher is not installed."""


@contextlib.contextmanager
def secantus_server(storage: Path | None, port: int | None = None) -> Iterator[str]:
    """Run SecantusDB storing in ``storage`` (``None``: in memory); yields ``mongodb://...``."""
    executable = find_executable()
    port = free_port() if port is None else port
    argv = [executable, "--host", "127.0.0.1", "--port", str(port), "--log-level", "WARNING"]
    with contextlib.ExitStack() as stack:
        log: IO[bytes]
        pid_file: Path | None = None
        if storage is None:
            argv += ["--storage-path", ":memory:"]
            log = stack.enter_context(tempfile.TemporaryFile())
        else:
            directory = storage.expanduser().resolve()
            directory.mkdir(parents=True, exist_ok=True)
            pid_file = directory / PID_FILE
            stop_leftover(pid_file, EXECUTABLE, signal.SIGTERM)
            argv += ["--storage-path", str(directory)]
            log = stack.enter_context(open(directory / "secantusd.log", "ab"))
            # Registered before the process, so it is removed only after the process stopped.
            stack.callback(pid_file.unlink, missing_ok=True)
        url = f"mongodb://127.0.0.1:{port}/"
        stack.enter_context(
            serving(
                argv,
                log=log,
                stop_signal=signal.SIGTERM,
                answers=lambda: _answers(url),
                what=f"SecantusDB on port {port}",
                timeout_seconds=START_TIMEOUT_SECONDS,
                # SecantusDB writes no pid file; ours lets a later run stop a leftover server.
                spawned=None if pid_file is None else _pid_file_writer(pid_file),
            )
        )
        yield url


def _pid_file_writer(pid_file: Path) -> Callable[[subprocess.Popen[bytes]], None]:
    def write(process: subprocess.Popen[bytes]) -> None:
        pid_file.write_text(f"{process.pid}\n")

    return write


def find_executable() -> str:
    """``secantusd-py`` from this interpreter's environment, else from ``PATH``."""
    beside_python = Path(sys.executable).parent / EXECUTABLE
    if beside_python.is_file():
        return str(beside_python)
    on_path = shutil.which(EXECUTABLE)
    if on_path is None:
        raise ExecutableNotFound(
            f"{EXECUTABLE} was found neither next to {sys.executable} nor on PATH. "
            "SecantusDB is a development dependency: run `uv sync` (with the dev group), "
            "or point LML_MONGO_URL at a MongoDB server."
        )
    return on_path


def _answers(url: str) -> bool:
    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(
        url, serverSelectionTimeoutMS=500, connectTimeoutMS=500
    )
    try:
        client.admin.command("ping")
    except pymongo.errors.PyMongoError:
        return False
    finally:
        client.close()
    return True
