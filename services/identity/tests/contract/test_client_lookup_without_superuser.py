"""The client lookup when the schema's owner is an ordinary role, as on managed PostgreSQL.

FORCE ROW LEVEL SECURITY filters the owner too, so this is the case where a
SECURITY DEFINER lookup would silently find nothing without migration 0002's
owner policy. Only 0001 and 0002 are applied: they are what the lookup depends on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from lml_identity.domain import ApiClient, Organisation
from lml_identity.infrastructure import PostgresApiClients, PostgresOrganisations
from lml_testing.databases import OrdinaryOwnerDatabase, ordinary_owner_database

pytestmark = pytest.mark.integration

IDENTITY_MIGRATIONS = ("0001_core.sql", "0002_identity.sql")


@pytest.fixture
async def ordinary_owner(
    postgres_admin_url: str, tmp_path: Path
) -> AsyncIterator[OrdinaryOwnerDatabase]:
    async with ordinary_owner_database(
        postgres_admin_url, tmp_path, IDENTITY_MIGRATIONS
    ) as database:
        yield database


async def test_given_an_ordinary_owner_then_a_clients_organisation_is_still_found(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    pool = ordinary_owner.app_pool
    organisation = Organisation(id="org_a", name="A")
    client = ApiClient(client_id="cli_a", org_id="org_a", name="A", scopes=frozenset())
    await PostgresOrganisations(pool).add(organisation)
    await PostgresApiClients(pool).add(client, "hash")

    assert await PostgresApiClients(pool).tenant_of("cli_a") == "org_a"


async def test_given_an_ordinary_owner_then_its_own_sessions_stay_filtered(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    pool = ordinary_owner.app_pool
    await PostgresOrganisations(pool).add(Organisation(id="org_a", name="A"))
    await PostgresApiClients(pool).add(
        ApiClient(client_id="cli_a", org_id="org_a", name="A", scopes=frozenset()), "hash"
    )

    async with await psycopg.AsyncConnection.connect(
        ordinary_owner.owner_url, autocommit=True
    ) as owner:
        cursor = await owner.execute("select count(*) from lml.api_clients")
        assert await cursor.fetchone() == (0,)
