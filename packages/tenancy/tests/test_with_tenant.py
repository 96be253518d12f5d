from typing import Any, LiteralString

import psycopg
import pytest
from psycopg import sql

from lml_postgres import AppPool
from lml_result import DependencyUnavailable
from lml_tenancy import with_tenant
from lml_tenancy.with_tenant import tenant_statement
from lml_testing.databases import TemporaryDatabase

pytestmark = pytest.mark.integration

SQLText = LiteralString | sql.Composed


class Boom(Exception):
    pass


async def session_state(pool: AppPool) -> tuple[int, str | None, int]:
    """Backend pid, the tenant setting, and how many tenants rows are visible."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "select pg_backend_pid(), current_setting('app.tenant_id', true),"
            " (select count(*) from lml.tenants)"
        )
        row = await cursor.fetchone()
    assert row is not None
    return row[0], row[1], row[2]


async def run_then_fail(pool: AppPool, tenant: str, *statements: SQLText) -> None:
    async with with_tenant(pool, tenant) as conn:
        for statement in statements:
            await conn.execute(statement)
        raise Boom


async def run(pool: AppPool, tenant: str, *statements: SQLText) -> None:
    async with with_tenant(pool, tenant) as conn:
        for statement in statements:
            await conn.execute(statement)


async def test_given_a_tenant_when_inside_the_block_then_only_its_rows_are_visible(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with with_tenant(single_connection_pool, tenant) as conn:
        cursor = await conn.execute("select tenant_id from lml.tenants")
        assert await cursor.fetchall() == [(tenant,)]


async def test_given_a_tenant_when_inside_the_block_then_one_transaction_is_open(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with with_tenant(single_connection_pool, tenant) as conn:
        assert conn.info.transaction_status is psycopg.pq.TransactionStatus.INTRANS


@pytest.mark.parametrize("odd_tenant", ["t-'quoted'", "t-\\back'slash", "t-'); select 1; --"])
async def test_given_a_tenant_id_with_quotes_when_inside_the_block_then_it_is_set_verbatim(
    single_connection_pool: AppPool, odd_tenant: str
) -> None:
    async with with_tenant(single_connection_pool, odd_tenant) as conn:
        cursor = await conn.execute("select current_setting('app.tenant_id')")
        assert await cursor.fetchone() == (odd_tenant,)


async def test_given_a_nested_transaction_that_raised_when_the_block_ends_then_the_rest_commits(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async def undone_in_a_savepoint(conn: psycopg.AsyncConnection[Any]) -> None:
        async with conn.transaction():
            await conn.execute("update lml.tenants set name = 'Undone'")
            raise Boom

    async with with_tenant(single_connection_pool, tenant) as conn:
        await conn.execute("update lml.tenants set name = 'Kept'")
        with pytest.raises(Boom):
            await undone_in_a_savepoint(conn)

    async with with_tenant(single_connection_pool, tenant) as conn:
        cursor = await conn.execute("select name from lml.tenants")
        assert await cursor.fetchall() == [("Kept",)]


async def test_given_a_block_that_ended_when_the_connection_is_reused_then_no_tenant_remains(
    single_connection_pool: AppPool, tenant: str
) -> None:
    async with with_tenant(single_connection_pool, tenant) as conn:
        used_pid = conn.info.backend_pid

    pid, setting, visible = await session_state(single_connection_pool)

    assert pid == used_pid
    assert not setting
    assert visible == 0


async def test_given_a_block_that_raised_when_the_connection_is_reused_then_no_tenant_remains(
    single_connection_pool: AppPool, tenant: str
) -> None:
    used_pid, _, _ = await session_state(single_connection_pool)
    with pytest.raises(Boom):
        await run_then_fail(single_connection_pool, tenant, "select 1")

    pid, setting, visible = await session_state(single_connection_pool)

    assert pid == used_pid
    assert not setting
    assert visible == 0


async def test_given_a_block_that_ended_when_writing_then_the_writes_are_committed(
    single_connection_pool: AppPool, tenant: str
) -> None:
    await run(single_connection_pool, tenant, "update lml.tenants set name = 'Renamed'")

    async with with_tenant(single_connection_pool, tenant) as conn:
        cursor = await conn.execute("select name from lml.tenants")
        assert await cursor.fetchall() == [("Renamed",)]


async def test_given_a_block_that_raised_when_writing_then_the_writes_are_rolled_back(
    single_connection_pool: AppPool, tenant: str
) -> None:
    with pytest.raises(Boom):
        await run_then_fail(
            single_connection_pool, tenant, "update lml.tenants set name = 'Renamed'"
        )

    async with with_tenant(single_connection_pool, tenant) as conn:
        cursor = await conn.execute("select name from lml.tenants")
        assert await cursor.fetchall() == [("Tenant",)]


async def test_given_the_server_ends_the_session_inside_the_block_then_postgresql_is_unavailable(
    single_connection_pool: AppPool, tenant: str
) -> None:
    with pytest.raises(DependencyUnavailable) as raised:
        await run(single_connection_pool, tenant, "select pg_terminate_backend(pg_backend_pid())")

    assert raised.value.dependency == "postgresql"


async def test_given_the_session_was_ended_when_the_next_block_runs_then_it_gets_a_new_session(
    single_connection_pool: AppPool, tenant: str
) -> None:
    ended_pid, _, _ = await session_state(single_connection_pool)
    with pytest.raises(DependencyUnavailable):
        await run(single_connection_pool, tenant, "select pg_terminate_backend(pg_backend_pid())")

    async with with_tenant(single_connection_pool, tenant) as conn:
        assert conn.info.backend_pid != ended_pid


async def test_given_a_statement_timeout_when_inside_the_block_then_postgresql_is_unavailable(
    single_connection_pool: AppPool, tenant: str
) -> None:
    with pytest.raises(DependencyUnavailable):
        await run(
            single_connection_pool,
            tenant,
            "set local statement_timeout = 1",
            "select pg_sleep(1)",
        )


async def names_around_a_rename(
    pool: AppPool, tenant: str, admin_url: str, *, one_snapshot: bool
) -> tuple[list[tuple[str]], list[tuple[str]]]:
    """The tenant's name read twice in one block, with a rename committed in between."""
    async with with_tenant(pool, tenant, one_snapshot=one_snapshot) as conn:
        before = await (await conn.execute("select name from lml.tenants")).fetchall()
        async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as owner:
            await owner.execute(
                "update lml.tenants set name = 'Renamed' where tenant_id = %s", (tenant,)
            )
        after = await (await conn.execute("select name from lml.tenants")).fetchall()
    return before, after


async def test_given_one_snapshot_when_a_change_commits_between_two_reads_then_both_miss_it(
    single_connection_pool: AppPool, tenant: str, migrated_database: TemporaryDatabase
) -> None:
    before, after = await names_around_a_rename(
        single_connection_pool, tenant, migrated_database.admin_url, one_snapshot=True
    )
    assert before == after == [("Tenant",)]


async def test_given_an_ordinary_block_when_a_change_commits_between_reads_then_the_second_sees_it(
    single_connection_pool: AppPool, tenant: str, migrated_database: TemporaryDatabase
) -> None:
    before, after = await names_around_a_rename(
        single_connection_pool, tenant, migrated_database.admin_url, one_snapshot=False
    )
    assert (before, after) == ([("Tenant",)], [("Renamed",)])


async def test_given_one_snapshot_when_the_block_writes_then_postgres_refuses_it(
    single_connection_pool: AppPool, tenant: str
) -> None:
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        async with with_tenant(single_connection_pool, tenant, one_snapshot=True) as conn:
            await conn.execute("update lml.tenants set name = 'Written'")
    assert (await session_state(single_connection_pool))[1] in (None, "")


async def test_given_one_statement_when_run_in_one_round_trip_then_it_sees_only_its_tenant(
    single_connection_pool: AppPool, tenant: str
) -> None:
    result = await tenant_statement(
        single_connection_pool, tenant, "select tenant_id, %s::int as n from lml.tenants", (7,)
    )

    assert result.rows == [{"tenant_id": tenant, "n": 7}]
    _, setting, _ = await session_state(single_connection_pool)
    assert setting in (None, ""), "the tenant lasted only for the statement's transaction"


async def test_given_a_write_in_one_round_trip_then_it_commits_and_counts_its_rows(
    single_connection_pool: AppPool, tenant: str
) -> None:
    result = await tenant_statement(
        single_connection_pool, tenant, "update lml.tenants set name = %(name)s", {"name": "Once"}
    )

    assert result.rowcount == 1
    async with with_tenant(single_connection_pool, tenant) as conn:
        cursor = await conn.execute("select name from lml.tenants")
        assert await cursor.fetchall() == [("Once",)]


async def test_given_a_failing_statement_in_one_round_trip_then_nothing_stays_open(
    single_connection_pool: AppPool, tenant: str
) -> None:
    with pytest.raises(psycopg.errors.UniqueViolation):
        await tenant_statement(
            single_connection_pool,
            tenant,
            "insert into lml.tenants (tenant_id, name) values (%s, 'Twice')",
            (tenant,),
        )

    result = await tenant_statement(single_connection_pool, tenant, "select 1 as one")
    assert result.rows == [{"one": 1}]


@pytest.mark.parametrize("odd_tenant", ["t-50%off", "t-'quoted'", "t-%s-%(x)s"])
async def test_given_a_tenant_id_with_percents_when_run_in_one_round_trip_then_it_is_set_verbatim(
    single_connection_pool: AppPool, odd_tenant: str
) -> None:
    result = await tenant_statement(
        single_connection_pool,
        odd_tenant,
        "select current_setting('app.tenant_id') as t, %s as p",
        ("x",),
    )

    assert result.rows == [{"t": odd_tenant, "p": "x"}]
