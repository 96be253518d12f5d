"""The client lookup when the schema's owner is an ordinary role, as on managed PostgreSQL.

FORCE ROW LEVEL SECURITY filters the owner too, so this is the case where a
SECURITY DEFINER lookup would silently find nothing without migration 0002's
owner policy. Only 0001 and 0002 are applied: they are what the lookup depends on.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from lml_identity.domain import ApiClient, Organisation
from lml_identity.infrastructure import PostgresApiClients, PostgresOrganisations
from lml_postgres import AppPool, create_pool, default_migrations_dir, migrate_up
from lml_testing.settings import settings_for_tests

pytestmark = pytest.mark.integration

IDENTITY_MIGRATIONS = ("0001_core.sql", "0002_identity.sql")


@dataclass(frozen=True, slots=True)
class OrdinaryOwnerDatabase:
    owner_url: str
    app_pool: AppPool


@pytest.fixture
async def ordinary_owner_database(
    postgres_admin_url: str, tmp_path: Path
) -> AsyncIterator[OrdinaryOwnerDatabase]:
    suffix = uuid.uuid4().hex[:12]
    role, database = f"lml_owner_{suffix}", f"lml_test_owner_{suffix}"
    async with await psycopg.AsyncConnection.connect(postgres_admin_url, autocommit=True) as admin:
        await admin.execute(
            sql.SQL("create role {} login nosuperuser nobypassrls").format(sql.Identifier(role))
        )
        await admin.execute(
            sql.SQL("create database {} owner {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
    owner_url = make_conninfo(postgres_admin_url, dbname=database, user=role)
    for name in IDENTITY_MIGRATIONS:
        shutil.copy(default_migrations_dir(settings_for_tests()) / name, tmp_path / name)
    pool = None
    try:
        await migrate_up(owner_url, tmp_path)
        pool = create_pool(settings_for_tests(database_url=owner_url))
        await pool.open(wait=True)
        yield OrdinaryOwnerDatabase(owner_url=owner_url, app_pool=pool)
    finally:
        if pool is not None:
            await pool.close()
        async with await psycopg.AsyncConnection.connect(
            postgres_admin_url, autocommit=True
        ) as admin:
            await admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database))
            )
            await admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role)))


async def test_given_an_ordinary_owner_then_a_clients_organisation_is_still_found(
    ordinary_owner_database: OrdinaryOwnerDatabase,
) -> None:
    pool = ordinary_owner_database.app_pool
    organisation = Organisation(id="org_a", name="A")
    client = ApiClient(client_id="cli_a", org_id="org_a", name="A", scopes=frozenset())
    await PostgresOrganisations(pool).add(organisation)
    await PostgresApiClients(pool).add(client, "hash")

    assert await PostgresApiClients(pool).tenant_of("cli_a") == "org_a"


async def test_given_an_ordinary_owner_then_its_own_sessions_stay_filtered(
    ordinary_owner_database: OrdinaryOwnerDatabase,
) -> None:
    pool = ordinary_owner_database.app_pool
    await PostgresOrganisations(pool).add(Organisation(id="org_a", name="A"))
    await PostgresApiClients(pool).add(
        ApiClient(client_id="cli_a", org_id="org_a", name="A", scopes=frozenset()), "hash"
    )

    async with await psycopg.AsyncConnection.connect(
        ordinary_owner_database.owner_url, autocommit=True
    ) as owner:
        cursor = await owner.execute("select count(*) from lml.api_clients")
        assert await cursor.fetchone() == (0,)
