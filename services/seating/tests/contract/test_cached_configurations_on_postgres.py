"""Configurations kept in memory on real PostgreSQL and Redis: every committed change of
what shapes the snapshot's tag reaches the cache, and a listener that stops listening
leaves nothing stale behind (docs/decisions/0014-configuration-cached-until-notified.md)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import psycopg
import pytest
import redis.asyncio

from lml_postgres import AppPool, app_conninfo
from lml_result import Ok
from lml_seating.application import availability_tag
from lml_seating.infrastructure import (
    CachedConfigurations,
    PostgresInventory,
    listened_configurations,
    redis_gate,
)
from lml_seating.infrastructure.postgres_configuration_listener import APPLICATION_NAME
from lml_testing.databases import TemporaryDatabase
from lml_testing.polling import eventually
from lml_testing.settings import settings_for_tests

pytestmark = pytest.mark.integration

ORG = "org_cached_configurations"
SEATS = ["A-1", "A-2", "A-3"]


@pytest.fixture
async def cache(
    app_pool: AppPool, migrated_database: TemporaryDatabase
) -> AsyncIterator[CachedConfigurations]:
    conninfo = app_conninfo(settings_for_tests(database_url=migrated_database.admin_url))
    async with listened_configurations(
        PostgresInventory(app_pool), conninfo, heartbeat_seconds=0.1, timeout_seconds=2
    ) as cached:
        await eventually(lambda: cached.trusted)
        yield cached


@pytest.fixture
async def revalidate(
    cache: CachedConfigurations, redis_url: str, redis_key_prefix: str
) -> AsyncIterator[Callable[..., Awaitable[str]]]:
    """``await revalidate(event_id)``: the tag a revalidation computes now."""
    client = redis.asyncio.Redis.from_url(redis_url)
    gate = redis_gate(
        client, key_prefix=redis_key_prefix, stream_max_length=1000, max_lifetime_seconds=600
    )

    async def tag(event_id: str, sales_channel_id: str | None = None) -> str:
        outcome = await availability_tag(
            ORG, event_id, sales_channel_id, configurations=cache, live=gate.live
        )
        assert isinstance(outcome, Ok), outcome
        return outcome.value.tag

    try:
        yield tag
    finally:
        await client.aclose()


@pytest.fixture
async def event_id(seed: Callable[..., Awaitable[None]]) -> str:
    event = f"evt_{uuid.uuid4().hex[:12]}"
    await seed(ORG, event, seats=SEATS, zones={"GA": 10}, sales_channels=["box", "web"])
    return event


async def as_owner(admin_url: str, statement: str, *params: Any) -> None:
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        await owner.execute(statement, params)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            "update lml.event_seats set status = 'blocked' where event_id = %s and seat_id = 'A-1'",
            id="seat blocked",
        ),
        pytest.param(
            "update lml.event_seats set status = 'sold' where event_id = %s and seat_id = 'A-2'",
            id="seat sold",
        ),
        pytest.param(
            "update lml.event_seats set price_category = 'premium'"
            " where event_id = %s and seat_id = 'A-3'",
            id="price category",
        ),
        pytest.param(
            "update lml.event_zones set capacity = 12 where event_id = %s", id="zone capacity"
        ),
    ],
)
async def test_given_a_cached_configuration_when_a_change_commits_then_the_tag_changes(
    change: str,
    event_id: str,
    cache: CachedConfigurations,
    revalidate: Callable[..., Awaitable[str]],
    migrated_database: TemporaryDatabase,
) -> None:
    before = await revalidate(event_id)
    assert await revalidate(event_id) == before

    await as_owner(migrated_database.admin_url, change, event_id)

    async def tag_moved() -> bool:
        return await revalidate(event_id) != before

    await eventually(tag_moved, deadline_seconds=2)


async def test_given_a_cached_configuration_when_a_sales_channel_is_removed_then_it_is_unknown(
    event_id: str, cache: CachedConfigurations, migrated_database: TemporaryDatabase
) -> None:
    assert (await cache.configuration(ORG, event_id)) is not None

    await as_owner(
        migrated_database.admin_url,
        """update lml.events set sales_channels = '[{"id": "web", "name": "web"}]'::jsonb
           where id = %s""",
        event_id,
    )

    async def channel_gone() -> bool:
        configuration = await cache.configuration(ORG, event_id)
        return configuration is not None and "box" not in configuration.sales_channels

    await eventually(channel_gone, deadline_seconds=2)


async def test_given_an_uncommitted_change_then_the_cached_configuration_stays(
    event_id: str, cache: CachedConfigurations, migrated_database: TemporaryDatabase
) -> None:
    cached = await cache.configuration(ORG, event_id)
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        await owner.execute(
            "update lml.event_seats set status = 'blocked' where event_id = %s", (event_id,)
        )
        await owner.rollback()

    assert await cache.configuration(ORG, event_id) == cached


async def test_given_the_listener_is_cut_off_when_a_change_commits_meanwhile_then_it_is_seen(
    event_id: str,
    cache: CachedConfigurations,
    revalidate: Callable[..., Awaitable[str]],
    migrated_database: TemporaryDatabase,
) -> None:
    before = await revalidate(event_id)
    # One transaction, committed as the connection closes: the listener is gone before the
    # change commits, so its notification reaches nobody.
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        await owner.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity"
            " where application_name = %s and datname = current_database()",
            (APPLICATION_NAME,),
        )
        await owner.execute(
            "update lml.event_seats set status = 'blocked' where event_id = %s and seat_id = 'A-1'",
            (event_id,),
        )

    await eventually(lambda: not cache.trusted, deadline_seconds=2)
    assert await revalidate(event_id) != before
    await eventually(lambda: cache.trusted, deadline_seconds=5)
    assert await revalidate(event_id) != before


async def test_given_another_organisations_event_then_the_cache_answers_nothing(
    event_id: str, cache: CachedConfigurations
) -> None:
    assert await cache.configuration(ORG, event_id) is not None

    assert await cache.configuration("org_someone_else", event_id) is None
