"""Run a server as a child process: spawn, wait until it answers, stop it for sure."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import psutil  # type: ignore[import-untyped]

POLL_INTERVAL_SECONDS = 0.05
STOP_TIMEOUT_SECONDS = 20.0
LOG_TAIL_LINES = 20


class ServerFailedToStart(RuntimeError):
    """A server exited or did not answer before its deadline."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """Whether nothing holds ``port`` on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def child_process(
    argv: list[str],
    *,
    log: IO[bytes],
    stop_signal: signal.Signals,
    user: str | None = None,
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Spawn ``argv``; on exit (normal, exception or Ctrl-C) stop it and reap it.

    The child gets its own session so a terminal's Ctrl-C reaches only us: we stop our
    servers in order (clients first, databases last) instead of all at once.
    """
    process = subprocess.Popen(  # noqa: S603 - argv is built from trusted paths, no shell
        argv,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        user=user,
        cwd=cwd,
    )
    try:
        yield process
    finally:
        stop(process, stop_signal)


@contextlib.contextmanager
def serving(
    argv: list[str],
    *,
    log: IO[bytes],
    stop_signal: signal.Signals,
    answers: Callable[[], bool],
    what: str,
    timeout_seconds: float,
    user: str | None = None,
    spawned: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Spawn a server (``child_process``) and enter the block once it answers.

    ``spawned`` sees the process before the wait: a pid file written there lets a later
    run stop a server this one left behind, even when this run dies while it waits.
    """
    with child_process(argv, log=log, stop_signal=stop_signal, user=user) as process:
        if spawned is not None:
            spawned(process)
        wait_until_ready(
            answers, process=process, what=what, log=log, timeout_seconds=timeout_seconds
        )
        yield process


def stop(process: subprocess.Popen[bytes], stop_signal: signal.Signals) -> None:
    """Ask politely, wait, then kill: the process is reaped when this returns."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(stop_signal)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_ready(
    answers: Callable[[], bool],
    *,
    process: subprocess.Popen[bytes],
    what: str,
    log: IO[bytes],
    timeout_seconds: float,
) -> None:
    """Poll ``answers`` until it is true; fail fast if the process dies, fail at the deadline."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        if process.poll() is not None:
            raise ServerFailedToStart(
                f"{what} exited with code {process.returncode} before answering.\n{tail(log)}"
            )
        if answers():
            return
        if time.monotonic() > deadline:
            raise ServerFailedToStart(
                f"{what} did not answer within {timeout_seconds:.0f} s.\n{tail(log)}"
            )
        time.sleep(POLL_INTERVAL_SECONDS)


def tail(log: IO[bytes]) -> str:
    """The last lines a server wrote, for error messages."""
    log.flush()
    # pread leaves the offset the child shares with us untouched
    size = os.fstat(log.fileno()).st_size
    text = os.pread(log.fileno(), size, 0).decode(errors="replace")
    return "\n".join(text.splitlines()[-LOG_TAIL_LINES:])


def stop_leftover(pid_file: Path, process_name: str, stop_signal: signal.Signals) -> None:
    """Stop a server a killed earlier run left holding this data directory.

    Its pid comes from the server's pid file; the name check keeps a recycled pid safe.
    """
    try:
        pid = int(pid_file.read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return
    if pid == os.getpid():
        return
    try:
        leftover = psutil.Process(pid)
        if process_name not in leftover.name() and not any(
            process_name in part for part in leftover.cmdline()
        ):
            return
        leftover.send_signal(stop_signal)
        leftover.wait(timeout=STOP_TIMEOUT_SECONDS)
    except psutil.NoSuchProcess:
        return
    except psutil.TimeoutExpired:
        leftover.kill()
        leftover.wait(timeout=STOP_TIMEOUT_SECONDS)
