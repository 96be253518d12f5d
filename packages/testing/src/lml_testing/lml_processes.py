"""``lml`` commands as real child processes, the way operators and ``lml dev`` run them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import psutil  # type: ignore[import-untyped]


def lml_process(command: str, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``lml <command>`` in a child process, with only the given ``LML_*`` variables."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("LML_")}
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - our own CLI, no shell
            [sys.executable, "-m", "lml_cli", command],
            env={**inherited, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def kill_with_children(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL leaves a supervisor no time to stop its processes: stop them too."""
    if process.poll() is None:
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
    process.kill()
    process.wait()


def wait_for_http_ok(url: str, process: subprocess.Popen[bytes], deadline_seconds: float) -> None:
    """Poll ``url`` until it answers 200; fail if the process exits or the deadline passes."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        assert process.poll() is None, f"the process exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - local http
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        assert time.monotonic() < deadline, f"{url} did not answer within {deadline_seconds} s"
        time.sleep(0.05)
