"""Pytest fixtures shared by every workspace member (registered as the ``lml`` plugin).

Servers are found in this order: an ``LML_TEST_*_URL`` variable, the local default
server when it answers, then an embedded server from ``lml_devstack`` started for the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
import redis
import redis.asyncio

from lml_config import Settings
from lml_postgres import AppPool, create_pool, default_migrations_dir, migrate_up
from lml_testing.databases import TemporaryDatabase, create_database, drop_database
from lml_testing.ids import unique_id
from lml_testing.servers import (
    LOCAL_POSTGRES_URL,
    LOCAL_REDIS_URL,
    UNREACHABLE_REDIS_URL,
    devstack_server,
    postgres_answers,
    redis_answers,
)
from lml_testing.settings import settings_for_tests

SettingsFactory = Callable[..., Settings]

# The fixtures that find or start a server: a test that needs one, however indirectly,
# is an integration test, so ``-m "not integration"`` never needs a server.
SERVER_FIXTURES = frozenset({"postgres_admin_url", "redis_url", "mongo_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def postgres_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL superuser URL for this run; tests make their own databases on it."""
    explicit = os.environ.get("LML_TEST_DATABASE_URL")
    if explicit:
        yield explicit
    elif postgres_answers(LOCAL_POSTGRES_URL):
        yield LOCAL_POSTGRES_URL
    else:
        embedded = devstack_server("embedded_postgres")
        with embedded(tmp_path_factory.mktemp("postgres")) as url:
            yield url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis server for this run."""
    explicit = os.environ.get("LML_TEST_REDIS_URL")
    if explicit:
        yield explicit
    elif redis_answers(LOCAL_REDIS_URL):
        yield LOCAL_REDIS_URL
    else:
        embedded = devstack_server("embedded_redis")
        with embedded(tmp_path_factory.mktemp("redis")) as url:
            yield url


@pytest.fixture
def redis_key_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix no other test or run uses; its keys are deleted afterwards."""
    prefix = f"lml-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest_asyncio.fixture
async def redis_client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    """A client of this run's Redis that returns bytes, closed after the test."""
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest_asyncio.fixture
async def unreachable_redis() -> AsyncIterator[redis.asyncio.Redis]:
    """A client of a Redis that is not there: connecting fails at once."""
    client = redis.asyncio.Redis.from_url(UNREACHABLE_REDIS_URL, socket_connect_timeout=1)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def new_id() -> Callable[[str], str]:
    """``new_id("org")``: an id no other test or run uses."""
    return unique_id


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    """A MongoDB-wire server for this run (an in-memory SecantusDB process by default)."""
    explicit = os.environ.get("LML_TEST_MONGO_URL")
    if explicit:
        yield explicit
    else:
        with devstack_server("secantus_server")(None) as url:
            yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_database(postgres_admin_url: str) -> AsyncIterator[TemporaryDatabase]:
    """A fresh database with every migration applied, shared by the session, dropped after.

    The migrations come from ``LML_MIGRATIONS_DIR`` when set, else the repository's.

    Tables are shared by every test in the run: use unique tenant ids and never
    assume a table is empty.
    """
    database = await create_database(postgres_admin_url)
    try:
        directory = default_migrations_dir(
            settings_for_tests(migrations_dir=os.environ.get("LML_MIGRATIONS_DIR"))
        )
        await migrate_up(database.admin_url, directory)
        yield database
    finally:
        await drop_database(postgres_admin_url, database)


@pytest_asyncio.fixture(loop_scope="session")
async def private_database(postgres_admin_url: str) -> AsyncIterator[TemporaryDatabase]:
    """A fresh, migrated database of this test alone, dropped after: for tests of what reads
    every organisation's rows (the worker's outbox claim), which the shared database's
    other tests' rows would disturb."""
    database = await create_database(postgres_admin_url)
    try:
        await migrate_up(database.admin_url, default_migrations_dir(settings_for_tests()))
        yield database
    finally:
        await drop_database(postgres_admin_url, database)


@pytest_asyncio.fixture(loop_scope="session")
async def empty_database(postgres_admin_url: str) -> AsyncIterator[TemporaryDatabase]:
    """A fresh database with no migrations, dropped after the test."""
    database = await create_database(postgres_admin_url)
    try:
        yield database
    finally:
        await drop_database(postgres_admin_url, database)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app_pool(migrated_database: TemporaryDatabase) -> AsyncIterator[AppPool]:
    """An open pool on the migrated database, connected as the application role."""
    pool = create_pool(settings_for_tests(database_url=migrated_database.admin_url))
    await pool.open(wait=True)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
def make_settings(migrated_database: TemporaryDatabase, redis_url: str) -> SettingsFactory:
    """``make_settings(**overrides)``: test ``Settings`` on the migrated database and Redis.

    MongoDB is left unset so tests that do not need it start no server; pass
    ``mongo_url=mongo_url`` (the fixture) when they do.
    """

    def make(**overrides: Any) -> Settings:
        return settings_for_tests(
            **{"database_url": migrated_database.admin_url, "redis_url": redis_url, **overrides}
        )

    return make


@pytest.fixture
def sale_settings(
    make_settings: SettingsFactory,
    private_database: TemporaryDatabase,
    mongo_url: str,
    redis_key_prefix: str,
) -> Settings:
    """Settings for a whole sale (holds, orders, payments, the worker's outbox) on a database
    of the test's own, since the outbox and the expirer read every organisation's rows, with
    MongoDB, its own key prefix, and budgets no test reaches."""
    return make_settings(
        database_url=private_database.admin_url,
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets="*=100000/60s",
    )
