"""Apply numbered SQL migrations in order, each once, under a PostgreSQL advisory lock.

Every file runs in its own transaction together with the row that records it, so a
file is either fully applied and recorded or not applied at all. See
docs/decisions/0001-migrations.md for why this is not a third-party tool.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import TupleRow

from lml_postgres.faults import postgres_faults
from lml_postgres.migration_files import Migration, MigrationError, discover
from lml_postgres.migration_states import (
    AppliedRecord,
    FailureRecord,
    MigrationState,
    MigrationStatus,
    compare,
)

# Any fixed bigint works, as long as every runner of this schema uses the same one.
MIGRATION_LOCK_KEY = 0x6C6D6C6D6967  # "lmlmig"

BOOKKEEPING = b"""
create schema if not exists lml;
create table if not exists lml.schema_migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
);
create table if not exists lml.schema_migration_failures (
    version integer primary key,
    name text not null,
    checksum text not null,
    error text not null,
    failed_at timestamptz not null default now()
);
"""

Connection = AsyncConnection[TupleRow]


class MigrationRefused(MigrationError):
    """Production was not confirmed; nothing was read or changed."""


class MigrationFailed(MigrationError):
    """A file failed and was rolled back entirely; later files were not attempted."""

    def __init__(self, migration: Migration, error: psycopg.Error) -> None:
        self.migration = migration
        line = _error_line(migration.sql, error)
        where = f" at line {line}" if line is not None else ""
        super().__init__(f"migration {migration.filename} failed{where}: {error}".strip())


class MigrationChecksumMismatch(MigrationError):
    """Applied files were edited afterwards; nothing was applied."""

    def __init__(self, changed: list[MigrationState], filenames: list[str]) -> None:
        self.changed = changed
        names = ", ".join(filenames)
        super().__init__(
            f"applied migrations changed on disk: {names}; "
            "restore them and put the change in a new migration"
        )


async def migrate_up(
    conninfo: str,
    directory: Path,
    *,
    production: bool = False,
    confirm_production: bool = False,
) -> list[Migration]:
    """Apply every pending migration in ``directory`` and return those applied by this call.

    Concurrent callers queue on the advisory lock; the later ones find nothing left to do.
    """
    if production and not confirm_production:
        raise MigrationRefused(
            "refusing to migrate a production database without explicit confirmation"
        )
    migrations = discover(directory)
    async with await _connect(conninfo) as conn:
        # A session-level lock: closing the connection releases it, even after a crash.
        await conn.execute("select pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        await conn.execute(BOOKKEEPING)
        states = compare(migrations, await _applied(conn), {})
        changed = [state for state in states if state.status is MigrationStatus.CHANGED]
        if changed:
            versions = {state.version for state in changed}
            raise MigrationChecksumMismatch(
                changed, [m.filename for m in migrations if m.version in versions]
            )
        pending = {state.version for state in states if state.is_pending}
        applied: list[Migration] = []
        for migration in migrations:
            if migration.version in pending:
                await _apply(conn, migration)
                applied.append(migration)
        return applied


async def migration_status(conninfo: str, directory: Path) -> list[MigrationState]:
    """Every migration's state, without changing anything (a fresh database is all pending)."""
    migrations = discover(directory)
    async with await _connect(conninfo) as conn:
        cursor = await conn.execute(
            "select to_regclass('lml.schema_migrations') is not null"
            " and to_regclass('lml.schema_migration_failures') is not null"
        )
        row = await cursor.fetchone()
        if row is None or not row[0]:
            return compare(migrations, {}, {})
        return compare(migrations, await _applied(conn), await _failures(conn))


async def _connect(conninfo: str) -> Connection:
    with postgres_faults():
        return await psycopg.AsyncConnection.connect(conninfo, autocommit=True)


async def _apply(conn: Connection, migration: Migration) -> None:
    try:
        async with conn.transaction():
            await conn.execute(migration.sql.encode("utf-8"))
            await conn.execute(
                "insert into lml.schema_migrations (version, name, checksum) values (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
            await conn.execute(
                "delete from lml.schema_migration_failures where version = %s",
                (migration.version,),
            )
    except psycopg.Error as error:
        failure = MigrationFailed(migration, error)
        await _record_failure(conn, migration, str(failure))
        raise failure from error


async def _record_failure(conn: Connection, migration: Migration, message: str) -> None:
    # The failure itself is what the caller must see; losing its record is the lesser harm.
    with contextlib.suppress(psycopg.Error):
        await conn.execute(
            "insert into lml.schema_migration_failures (version, name, checksum, error)"
            " values (%s, %s, %s, %s)"
            " on conflict (version) do update set name = excluded.name,"
            " checksum = excluded.checksum, error = excluded.error, failed_at = now()",
            (migration.version, migration.name, migration.checksum, message),
        )


async def _applied(conn: Connection) -> dict[int, AppliedRecord]:
    cursor = await conn.execute(
        "select version, name, checksum, applied_at from lml.schema_migrations"
    )
    return {row[0]: AppliedRecord(*row) for row in await cursor.fetchall()}


async def _failures(conn: Connection) -> dict[int, FailureRecord]:
    cursor = await conn.execute(
        "select version, error, failed_at from lml.schema_migration_failures"
    )
    return {row[0]: FailureRecord(*row) for row in await cursor.fetchall()}


def _error_line(sql: str, error: psycopg.Error) -> int | None:
    position = error.diag.statement_position
    if not position or not position.isdigit():
        return None
    # PostgreSQL counts characters from 1 across the whole multi-statement text.
    return sql[: int(position) - 1].count("\n") + 1
