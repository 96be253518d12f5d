"""Reading rows by name and inserting rows whose key may be taken, in a tenant's scope."""

import psycopg
import pytest

from lml_postgres import AppPool
from lml_tenancy import fetch_all, fetch_one, insert_new

pytestmark = pytest.mark.integration

ADD_USER = (
    "insert into lml.users (tenant_id, id, username, password_hash, scopes)"
    " values (%s, %s, %s, 'hash', '{}')"
)


async def test_given_a_row_when_fetched_then_its_columns_are_read_by_name(
    single_connection_pool: AppPool, tenant: str
) -> None:
    row = await fetch_one(single_connection_pool, tenant, "select tenant_id, name from lml.tenants")

    assert row == {"tenant_id": tenant, "name": "Tenant"}


async def test_given_no_row_when_fetched_then_there_is_none(
    single_connection_pool: AppPool, tenant: str
) -> None:
    query = "select name from lml.tenants where name = 'nobody'"

    assert await fetch_one(single_connection_pool, tenant, query) is None
    assert await fetch_all(single_connection_pool, tenant, query) == []


async def test_given_a_taken_key_when_inserted_again_then_it_answers_false(
    single_connection_pool: AppPool, tenant: str
) -> None:
    keys = {"users_username_key"}
    first = await insert_new(
        single_connection_pool, tenant, ADD_USER, (tenant, "u1", "ann"), keys=keys
    )
    again = await insert_new(
        single_connection_pool, tenant, ADD_USER, (tenant, "u2", "ann"), keys=keys
    )

    assert (first, again) == (True, False)


async def test_given_a_violation_of_a_key_not_named_when_inserted_then_it_raises(
    single_connection_pool: AppPool, tenant: str
) -> None:
    await insert_new(single_connection_pool, tenant, ADD_USER, (tenant, "u1", "ann"))

    with pytest.raises(psycopg.errors.UniqueViolation):
        await insert_new(
            single_connection_pool,
            tenant,
            ADD_USER,
            (tenant, "u1", "bob"),
            keys={"users_username_key"},
        )
