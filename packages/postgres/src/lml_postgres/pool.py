"""The application's connection pool: the ``lml_app`` role, autocommit, bounded sessions."""

from __future__ import annotations

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


def create_pool(settings: Settings, conninfo: str | None = None) -> AppPool:
    """A closed pool of autocommit connections; the owner of the process opens and closes it.

    Connects as the application role unless ``conninfo`` says otherwise. Each
    connection is checked when lent out, so connections killed while PostgreSQL was
    away are replaced instead of failing the next request.
    """
    target = app_conninfo(settings) if conninfo is None else conninfo
    return AsyncConnectionPool(
        with_session_options(target, settings),
        open=False,
        min_size=settings.db_pool_min_size,
        max_size=settings.db_pool_max_size,
        kwargs={"autocommit": True},
        check=AsyncConnectionPool.check_connection,
        timeout=settings.dependency_timeout_seconds,
        name="lml",
    )
