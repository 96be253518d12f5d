"""A one-connection pool and a fresh tenant, for the tenant transaction tests."""

import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest

from lml_postgres import AppPool, create_pool
from lml_testing.databases import TemporaryDatabase
from lml_testing.settings import settings_for_tests


@pytest.fixture
async def single_connection_pool(migrated_database: TemporaryDatabase) -> AsyncIterator[AppPool]:
    """One connection, so the next user is certainly the same session."""
    settings = settings_for_tests(
        database_url=migrated_database.admin_url, db_pool_min_size=1, db_pool_max_size=1
    )
    pool = create_pool(settings)
    await pool.open(wait=True)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
async def tenant(migrated_database: TemporaryDatabase) -> str:
    tenant_id = f"t-{uuid.uuid4().hex}"
    async with await psycopg.AsyncConnection.connect(
        migrated_database.admin_url, autocommit=True
    ) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Tenant')", (tenant_id,)
        )
    return tenant_id
