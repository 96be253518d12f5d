"""The application's connection pool: the ``lml_app`` role, autocommit, bounded sessions."""

from __future__ import annotations

import select
import time
from weakref import WeakKeyDictionary

from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from lml_config import Settings

AppPool = AsyncConnectionPool[AsyncConnection[TupleRow]]

# Created by migrations/0001_core.sql; Row-Level Security applies to it.
APP_ROLE = "lml_app"


def owner_conninfo(settings: Settings) -> str:
    """The owner/migrator connection string (``LML_DATABASE_URL``)."""
    if not settings.database_url:
        raise ValueError("LML_DATABASE_URL is not set")
    return settings.database_url


def app_conninfo(settings: Settings) -> str:
    """The owner's connection string with the application role's user and password."""
    return make_conninfo(
        owner_conninfo(settings),
        user=APP_ROLE,
        password=settings.database_app_password,
    )


def session_options(settings: Settings) -> str:
    """The libpq ``options`` that bound every pooled session's waits, in milliseconds."""
    return " ".join(
        (
            f"-c statement_timeout={settings.db_statement_timeout_ms}",
            f"-c lock_timeout={settings.db_lock_timeout_ms}",
            f"-c idle_in_transaction_session_timeout={settings.db_idle_in_transaction_timeout_ms}",
        )
    )


def with_session_options(conninfo: str, settings: Settings) -> str:
    """``conninfo`` with the session timeouts appended to any ``options`` it already has."""
    existing = conninfo_to_dict(conninfo).get("options")
    options = session_options(settings)
    if existing:
        options = f"{existing} {options}"
    return make_conninfo(conninfo, options=options)


# A connection lent less than this long ago is not checked with a round trip when lent
# again (see ``RecentUseCheck``).
RECENT_USE_SECONDS = 1.0


class RecentUseCheck:
    """The pool's ``check``: a round trip only for connections that may have gone stale.

    ``AsyncConnectionPool.check_connection`` costs a round trip (about 50 µs of client
    CPU) on every checkout, which is most of a short transaction's overhead. A
    connection that was lent less than ``RECENT_USE_SECONDS`` ago and whose socket has
    nothing to read is used as is: a server that ended the session (restart,
    ``pg_terminate_backend``, a proxy closing) makes the socket readable, so that case
    still gets the full check and the connection is replaced. What escapes is a
    connection that dies between that poll and its first statement, or whose peer
    vanished silently within the last second: that request fails with
    ``DependencyUnavailable`` (503) and the pool discards the broken connection when it
    is returned, as it would for a connection killed mid-transaction anyway.
    """

    def __init__(self, recent_seconds: float = RECENT_USE_SECONDS) -> None:
        self._recent_seconds = recent_seconds
        # Lending time is an upper bound of the time the connection was last known good.
        self._lent_at: WeakKeyDictionary[AsyncConnection[TupleRow], float] = WeakKeyDictionary()

    async def __call__(self, conn: AsyncConnection[TupleRow]) -> None:
        now = time.monotonic()
        lent_at = self._lent_at.get(conn)
        if lent_at is None or now - lent_at >= self._recent_seconds or _has_input(conn):
            await AsyncConnectionPool.check_connection(conn)
        self._lent_at[conn] = now


def _has_input(conn: AsyncConnection[TupleRow]) -> bool:
    """Whether the idle connection's socket has something to read (an error, EOF, a notice)."""
    try:
        poller = select.poll()  # not select.select: it refuses descriptors above 1023
        poller.register(conn.pgconn.socket, select.POLLIN)
        return bool(poller.poll(0))
    except Exception:  # no socket any more: let the full check fail it
        return True


def create_pool(settings: Settings, conninfo: str | None = None) -> AppPool:
    """A closed pool of autocommit connections; the owner of the process opens and closes it.

    Connects as the application role unless ``conninfo`` says otherwise. Each
    connection is checked when lent out (cheaply when it was in use a moment ago, see
    ``RecentUseCheck``), so connections killed while PostgreSQL was away are replaced
    instead of failing the next request.
    """
    target = app_conninfo(settings) if conninfo is None else conninfo
    return AsyncConnectionPool(
        with_session_options(target, settings),
        open=False,
        min_size=settings.db_pool_min_size,
        max_size=settings.db_pool_max_size,
        kwargs={"autocommit": True},
        check=RecentUseCheck(),
        timeout=settings.dependency_timeout_seconds,
        name="lml",
    )
