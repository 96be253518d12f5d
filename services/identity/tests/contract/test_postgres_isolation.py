"""Row-Level Security on the identity tables, seen from the application role itself."""

from __future__ import annotations

import psycopg
import pytest

from lml_identity.domain import ApiClient, Organisation, User
from lml_identity.infrastructure import PostgresApiClients, PostgresOrganisations, PostgresUsers
from lml_postgres import AppPool
from lml_tenancy import with_tenant
from lml_testing.ids import unique_id

pytestmark = pytest.mark.integration


async def org(pool: AppPool) -> Organisation:
    organisation = Organisation(id=unique_id("org"), name="Isolated")
    await PostgresOrganisations(pool).add(organisation)
    return organisation


async def user_of(pool: AppPool, organisation: Organisation) -> User:
    user = User(id=unique_id("usr"), org_id=organisation.id, username="alice", scopes=frozenset())
    await PostgresUsers(pool).add(user, "hash")
    return user


async def client_of(pool: AppPool, organisation: Organisation) -> ApiClient:
    client = ApiClient(
        client_id=unique_id("cli"), org_id=organisation.id, name="Client", scopes=frozenset()
    )
    await PostgresApiClients(pool).add(client, "hash")
    return client


@pytest.mark.parametrize("table", ["lml.users", "lml.api_clients"])
async def test_the_app_role_sees_only_its_tenants_rows_even_without_a_filter(
    app_pool: AppPool, table: str
) -> None:
    org_a, org_b = await org(app_pool), await org(app_pool)
    await user_of(app_pool, org_a)
    await client_of(app_pool, org_a)
    await user_of(app_pool, org_b)
    await client_of(app_pool, org_b)

    async with with_tenant(app_pool, org_b.id) as conn:
        cursor = await conn.execute(f"select distinct tenant_id from {table}")
        visible = {row[0] for row in await cursor.fetchall()}

    assert visible == {org_b.id}


@pytest.mark.parametrize("table", ["lml.users", "lml.api_clients"])
async def test_without_a_tenant_the_app_role_sees_no_rows(app_pool: AppPool, table: str) -> None:
    organisation = await org(app_pool)
    await user_of(app_pool, organisation)
    await client_of(app_pool, organisation)

    async with app_pool.connection() as conn:
        cursor = await conn.execute(f"select count(*) from {table}")
        row = await cursor.fetchone()

    assert row == (0,)


async def test_the_app_role_cannot_write_a_user_into_another_tenant(app_pool: AppPool) -> None:
    org_a, org_b = await org(app_pool), await org(app_pool)

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with with_tenant(app_pool, org_b.id) as conn:
            await conn.execute(
                "insert into lml.users (tenant_id, id, username, password_hash)"
                " values (%s, %s, 'mallory', 'hash')",
                (org_a.id, unique_id("usr")),
            )


async def test_the_app_role_cannot_move_a_client_into_another_tenant(app_pool: AppPool) -> None:
    org_a, org_b = await org(app_pool), await org(app_pool)
    client = await client_of(app_pool, org_a)

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with with_tenant(app_pool, org_a.id) as conn:
            await conn.execute(
                "update lml.api_clients set tenant_id = %s where client_id = %s",
                (org_b.id, client.client_id),
            )


async def test_the_client_lookup_reveals_the_tenant_id_and_nothing_else(
    app_pool: AppPool,
) -> None:
    organisation = await org(app_pool)
    client = await client_of(app_pool, organisation)

    async with app_pool.connection() as conn:
        cursor = await conn.execute("select lml.tenant_of_client(%s)", (client.client_id,))
        assert await cursor.fetchall() == [(organisation.id,)]
        # Still no tenant set: the lookup opened nothing else.
        cursor = await conn.execute("select count(*) from lml.api_clients")
        assert await cursor.fetchone() == (0,)
