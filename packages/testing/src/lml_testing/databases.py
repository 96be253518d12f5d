"""Throw-away PostgreSQL databases for one test or one test session."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from lml_postgres import AppPool, app_conninfo, create_pool, default_migrations_dir, migrate_up
from lml_testing.settings import settings_for_tests


@dataclass(frozen=True, slots=True)
class TemporaryDatabase:
    name: str
    admin_url: str  # the owner; migrations run as this role
    app_url: str  # the application role, subject to Row-Level Security


async def owner_rows(admin_url: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows read as the database's owner, past Row-Level Security: what a test checks the
    stores against."""
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(query, params)
        return await cursor.fetchall()


async def create_database(server_admin_url: str) -> TemporaryDatabase:
    name = f"lml_test_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(server_admin_url, autocommit=True) as conn:
        await conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    admin_url = make_conninfo(server_admin_url, dbname=name)
    return TemporaryDatabase(
        name=name,
        admin_url=admin_url,
        app_url=app_conninfo(settings_for_tests(database_url=admin_url)),
    )


async def drop_database(server_admin_url: str, database: TemporaryDatabase) -> None:
    async with await psycopg.AsyncConnection.connect(server_admin_url, autocommit=True) as conn:
        await conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database.name))
        )


@dataclass(frozen=True, slots=True)
class OrdinaryOwnerDatabase:
    owner_url: str
    app_pool: AppPool


@asynccontextmanager
async def ordinary_owner_database(
    server_admin_url: str, workdir: Path, migrations: Sequence[str] | None = None
) -> AsyncIterator[OrdinaryOwnerDatabase]:
    """A database owned by an ordinary role (no superuser, no BYPASSRLS), as on managed
    PostgreSQL, migrated as that owner: FORCE ROW LEVEL SECURITY then filters the owner
    too, which is what SECURITY DEFINER lookups must cope with.

    ``migrations`` names the files to apply (copied into ``workdir``); None applies all.
    """
    suffix = uuid.uuid4().hex[:12]
    role, name = f"lml_owner_{suffix}", f"lml_test_owner_{suffix}"
    async with await psycopg.AsyncConnection.connect(server_admin_url, autocommit=True) as admin:
        await admin.execute(
            sql.SQL("create role {} login nosuperuser nobypassrls").format(sql.Identifier(role))
        )
        await admin.execute(
            sql.SQL("create database {} owner {}").format(
                sql.Identifier(name), sql.Identifier(role)
            )
        )
    owner_url = make_conninfo(server_admin_url, dbname=name, user=role)
    source = default_migrations_dir(settings_for_tests())
    for path in sorted(source.glob("*.sql")):
        if migrations is None or path.name in migrations:
            shutil.copy(path, workdir / path.name)
    pool = None
    try:
        await migrate_up(owner_url, workdir)
        pool = create_pool(settings_for_tests(database_url=owner_url))
        await pool.open(wait=True)
        yield OrdinaryOwnerDatabase(owner_url=owner_url, app_pool=pool)
    finally:
        if pool is not None:
            await pool.close()
        async with await psycopg.AsyncConnection.connect(
            server_admin_url, autocommit=True
        ) as admin:
            await admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )
            await admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role)))
