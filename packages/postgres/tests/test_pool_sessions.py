from collections.abc import AsyncIterator

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from lml_postgres import AppPool, create_pool
from lml_postgres.pool import RecentUseCheck
from lml_testing.databases import TemporaryDatabase
from lml_testing.settings import settings_for_tests

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(migrated_database: TemporaryDatabase) -> AsyncIterator[AppPool]:
    settings = settings_for_tests(
        database_url=migrated_database.admin_url,
        db_pool_min_size=1,
        db_pool_max_size=1,
        db_statement_timeout_ms=1234,
        db_lock_timeout_ms=567,
        db_idle_in_transaction_timeout_ms=8910,
    )
    pool = create_pool(settings)
    await pool.open(wait=True)
    try:
        yield pool
    finally:
        await pool.close()


async def test_given_configured_timeouts_when_a_session_starts_then_it_has_them(
    pool: AppPool,
) -> None:
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "select current_setting('statement_timeout'), current_setting('lock_timeout'),"
            " current_setting('idle_in_transaction_session_timeout')"
        )
        assert await cursor.fetchone() == ("1234ms", "567ms", "8910ms")


async def test_given_the_default_conninfo_when_a_session_starts_then_it_is_the_app_role(
    pool: AppPool,
) -> None:
    async with pool.connection() as conn:
        cursor = await conn.execute("select current_user")
        assert await cursor.fetchone() == ("lml_app",)


async def test_given_a_pooled_connection_when_lent_then_it_is_in_autocommit(pool: AppPool) -> None:
    async with pool.connection() as conn:
        assert conn.autocommit


async def test_given_a_pooled_connection_killed_by_the_server_when_lent_again_then_it_is_replaced(
    pool: AppPool, migrated_database: TemporaryDatabase
) -> None:
    async with pool.connection() as conn:
        killed_pid = conn.info.backend_pid
    async with await psycopg.AsyncConnection.connect(
        migrated_database.admin_url, autocommit=True
    ) as admin:
        await admin.execute("select pg_terminate_backend(%s, 5000)", (killed_pid,))

    async with pool.connection() as conn:
        cursor = await conn.execute("select 1")
        assert await cursor.fetchone() == (1,)
        assert conn.info.backend_pid != killed_pid


async def test_given_a_connection_lent_a_moment_ago_when_lent_again_then_no_check_round_trip(
    pool: AppPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[object] = []

    async def counting_check(conn: object) -> None:
        checks.append(conn)

    async with pool.connection():
        pass
    monkeypatch.setattr(AsyncConnectionPool, "check_connection", staticmethod(counting_check))

    async with pool.connection() as conn:
        cursor = await conn.execute("select 1")
        assert await cursor.fetchone() == (1,)
    assert checks == []


async def test_given_a_connection_last_lent_long_enough_ago_when_lent_then_it_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks: list[object] = []

    async def counting_check(conn: object) -> None:
        checks.append(conn)

    class Connection:  # stands in for a connection: only its identity matters here
        pass

    monkeypatch.setattr(AsyncConnectionPool, "check_connection", staticmethod(counting_check))
    check = RecentUseCheck(recent_seconds=0.0)
    conn = Connection()

    await check(conn)  # type: ignore[arg-type]
    await check(conn)  # type: ignore[arg-type]

    assert checks == [conn, conn]
