import psycopg
import pymongo
import pytest
import redis

from lml_postgres import AppPool
from lml_testing.databases import TemporaryDatabase, create_database, drop_database
from lml_testing.plugin import SettingsFactory

pytestmark = pytest.mark.integration


async def scalar(url: str, query: str) -> object:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        cursor = await conn.execute(query.encode())
        row = await cursor.fetchone()
    assert row is not None
    return row[0]


async def test_given_the_migrated_database_when_connecting_with_the_app_url_then_it_is_lml_app(
    migrated_database: TemporaryDatabase,
) -> None:
    assert await scalar(migrated_database.app_url, "select current_user") == "lml_app"


async def test_given_the_migrated_database_then_every_migration_is_recorded(
    migrated_database: TemporaryDatabase,
) -> None:
    query = "select count(*) from lml.schema_migrations"

    recorded = await scalar(migrated_database.admin_url, query)

    assert isinstance(recorded, int)
    assert recorded >= 1


async def test_given_an_empty_database_then_it_has_no_lml_schema(
    empty_database: TemporaryDatabase,
) -> None:
    assert await scalar(empty_database.admin_url, "select to_regnamespace('lml')") is None


async def test_given_a_temporary_database_when_dropped_then_the_server_no_longer_has_it(
    postgres_admin_url: str,
) -> None:
    database = await create_database(postgres_admin_url)

    await drop_database(postgres_admin_url, database)

    async with await psycopg.AsyncConnection.connect(postgres_admin_url) as conn:
        cursor = await conn.execute(
            "select count(*) from pg_database where datname = %s", (database.name,)
        )
        assert await cursor.fetchone() == (0,)


async def test_given_the_app_pool_when_lent_a_connection_then_it_is_the_app_role(
    app_pool: AppPool,
) -> None:
    async with app_pool.connection() as conn:
        cursor = await conn.execute("select current_user")
        assert await cursor.fetchone() == ("lml_app",)


def test_given_make_settings_then_it_points_at_the_test_servers(
    make_settings: SettingsFactory, migrated_database: TemporaryDatabase, redis_url: str
) -> None:
    settings = make_settings()

    assert settings.env == "test"
    assert settings.database_url == migrated_database.admin_url
    assert settings.redis_url == redis_url
    assert settings.mongo_url is None


def test_given_overrides_when_making_settings_then_they_win(make_settings: SettingsFactory) -> None:
    settings = make_settings(redis_url="redis://elsewhere:6379/0", db_pool_max_size=2)

    assert (settings.redis_url, settings.db_pool_max_size) == ("redis://elsewhere:6379/0", 2)


def test_given_the_redis_url_then_the_server_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping()
    finally:
        client.close()


def test_given_the_mongo_url_then_the_server_answers(mongo_url: str) -> None:
    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(
        mongo_url, serverSelectionTimeoutMS=5000
    )
    try:
        assert client.admin.command("ping")["ok"] == 1
    finally:
        client.close()
