"""A tenant unit of work: one transaction, one tenant, that several adapters write in.

The adapters stand in as ``in_tenant`` blocks, which is how every adapter opens its
tenant scope whether it is handed a pool or a unit of work.
"""

import psycopg
import pytest

from lml_postgres import AppPool
from lml_tenancy import TenantScope, in_tenant, tenant_unit_of_work, with_tenant

pytestmark = pytest.mark.integration


class Boom(Exception):
    pass


async def rename(scope: TenantScope, tenant: str, name: str) -> None:
    async with in_tenant(scope, tenant) as conn:
        await conn.execute("update lml.tenants set name = %s", (name,))


async def rename_then_add_again(scope: TenantScope, tenant: str) -> None:
    async with in_tenant(scope, tenant) as conn:
        await conn.execute("update lml.tenants set name = 'Undone'")
        await conn.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Twice')", (tenant,)
        )


async def names(pool: AppPool, tenant: str) -> list[str]:
    async with with_tenant(pool, tenant) as conn:
        cursor = await conn.execute("select name from lml.tenants")
        return [row[0] for row in await cursor.fetchall()]


async def test_given_a_unit_of_work_when_it_commits_then_every_block_in_it_is_kept(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        await rename(unit, tenant, "First")
        await rename(unit, tenant, "Second")
        await unit.commit()

    assert await names(single_connection_pool, tenant) == ["Second"]


async def test_given_a_unit_of_work_that_ends_without_commit_then_nothing_of_it_is_kept(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        await rename(unit, tenant, "First")
        await rename(unit, tenant, "Second")

    assert await names(single_connection_pool, tenant) == ["Tenant"]


async def test_given_a_unit_of_work_when_its_block_raises_then_nothing_of_it_is_kept(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async def rename_then_fail() -> None:
        async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
            await rename(unit, tenant, "First")
            raise Boom

    with pytest.raises(Boom):
        await rename_then_fail()

    assert await names(single_connection_pool, tenant) == ["Tenant"]


async def test_given_a_unit_of_work_when_blocks_run_in_it_then_they_share_its_one_session(
    single_connection_pool: AppPool, tenant: str
) -> None:
    seen = []
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        for _ in range(2):
            async with in_tenant(unit, tenant) as conn:
                cursor = await conn.execute(
                    "select pg_backend_pid(), txid_current(), current_setting('app.tenant_id')"
                )
                seen.append(await cursor.fetchone())

    assert len(set(seen)) == 1
    assert seen[0] is not None
    assert seen[0][2] == tenant


async def test_given_a_block_that_raised_inside_a_unit_of_work_then_the_unit_refuses_to_go_on(
    single_connection_pool: AppPool, tenant: str
) -> None:
    """Blocks have no savepoints: one that fails fails the unit, whose later blocks and
    commit are refused, and nothing of it is kept."""
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        await rename(unit, tenant, "First")
        with pytest.raises(psycopg.errors.UniqueViolation):
            await rename_then_add_again(unit, tenant)
        with pytest.raises(RuntimeError, match="failed"):
            await rename(unit, tenant, "After")
        with pytest.raises(RuntimeError, match="failed"):
            await unit.commit()

    assert await names(single_connection_pool, tenant) == ["Tenant"]


async def test_given_a_block_that_caught_its_failed_statement_then_the_unit_refuses_to_commit(
    single_connection_pool: AppPool, tenant: str
) -> None:
    """An adapter that turns a constraint violation into an ``Err`` leaves the transaction
    failed: the unit must not pretend to commit it."""
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        await rename(unit, tenant, "First")
        async with in_tenant(unit, tenant) as conn:
            with pytest.raises(psycopg.errors.UniqueViolation):
                await conn.execute(
                    "insert into lml.tenants (tenant_id, name) values (%s, 'Twice')", (tenant,)
                )
        with pytest.raises(RuntimeError, match="failed"):
            await unit.commit()

    assert await names(single_connection_pool, tenant) == ["Tenant"]


async def test_given_a_unit_of_work_of_one_tenant_when_another_is_asked_then_it_is_refused(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        with pytest.raises(ValueError, match="tenant"):
            await rename(unit, "another-tenant", "Foreign")
        await rename(unit, tenant, "Own")
        await unit.commit()

    assert await names(single_connection_pool, tenant) == ["Own"], "refused before it began"


async def test_given_a_committed_unit_of_work_when_a_block_opens_then_it_is_refused(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with tenant_unit_of_work(single_connection_pool, tenant) as unit:
        await unit.commit()
        # Past its commit the session has no tenant: a statement would run unscoped.
        with pytest.raises(RuntimeError, match="committed"):
            await rename(unit, tenant, "Late")

    assert await names(single_connection_pool, tenant) == ["Tenant"]


async def test_given_a_pool_when_a_block_opens_then_it_is_its_own_committed_transaction(
    single_connection_pool: AppPool, tenant: str
) -> None:
    await rename(single_connection_pool, tenant, "Alone")

    assert await names(single_connection_pool, tenant) == ["Alone"]


async def test_given_an_empty_tenant_id_when_a_unit_of_work_opens_then_it_is_refused(
    single_connection_pool: AppPool,
) -> None:
    with pytest.raises(ValueError, match="tenant_id"):
        async with tenant_unit_of_work(single_connection_pool, " "):
            pass
