"""The ``lml`` processes ``lml dev`` runs: started, watched, and all stopped on the way out."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from types import TracebackType

WATCH_INTERVAL_SECONDS = 0.2


class ChildExited(RuntimeError):
    """A process that should run until stopped exited on its own."""


class ChildProcesses:
    """Children in their own sessions, so a terminal's Ctrl-C reaches only ``lml dev``,
    which then stops them in order: SIGTERM to all, a grace period, then SIGKILL."""

    def __init__(self, grace_seconds: float) -> None:
        self._grace_seconds = grace_seconds
        self._running: dict[str, subprocess.Popen[bytes]] = {}

    def __enter__(self) -> ChildProcesses:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop_all()

    def start_lml(self, command: str, env: Mapping[str, str]) -> None:
        """Run ``lml <command>`` with this interpreter, so it needs no script on PATH."""
        self._running[f"lml {command}"] = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "lml_cli", command],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def raise_if_any_exited(self) -> None:
        for name, process in self._running.items():
            if process.poll() is not None:
                raise ChildExited(
                    f"`{name}` exited with status {process.returncode} (its log is above)"
                )

    def watch(self) -> None:
        """Return never: raise ``ChildExited`` as soon as one child exits."""
        while True:
            self.raise_if_any_exited()
            time.sleep(WATCH_INTERVAL_SECONDS)

    def stop_all(self) -> None:
        for process in self._running.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self._grace_seconds
        for process in self._running.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._running.clear()
