"""A hold made through the API expires through the worker: one release, however many sweepers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import msgspec
import psycopg
import pytest
import redis.asyncio

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_postgres import AppPool
from lml_seating.infrastructure import RedisAvailabilityEvents, SeatingKeys
from lml_seating.infrastructure.adapters import redis_seating
from lml_testing.databases import TemporaryDatabase
from lml_worker import run_once
from lml_worker.hold_sweeper import redis_hold_sweeper

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url, redis_key_prefix=redis_key_prefix, hold_min_ttl_seconds=1
    )


@pytest.fixture
async def event(migrated_database: TemporaryDatabase) -> tuple[str, str]:
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Org')", (tenant,)
        )
        await owner.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Hall')",
            (tenant, f"{tenant}-venue"),
        )
        await owner.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold) values (%s, %s, %s, 'map', 'Concert',"
            " now() + interval '30 days', 'EUR', 6)",
            (tenant, event_id, f"{tenant}-venue"),
        )
        await owner.execute(
            "insert into lml.event_seats (tenant_id, event_id, seat_id, price_category)"
            " values (%s, %s, 'A-1', 'standard')",
            (tenant, event_id),
        )
        await owner.execute(
            "insert into lml.event_zones (tenant_id, event_id, zone_id, name, price_category,"
            " capacity) values (%s, %s, 'GA', 'Floor', 'standard', 10)",
            (tenant, event_id),
        )
    return tenant, event_id


@pytest.fixture
async def redis_clients(redis_url: str) -> AsyncIterator[list[redis.asyncio.Redis]]:
    clients = [redis.asyncio.Redis.from_url(redis_url) for _ in range(2)]
    yield clients
    for client in clients:
        await client.aclose()


async def hold_through_the_api(settings: Settings, tenant: str, event_id: str) -> str:
    app = create_app(settings=settings)
    token = build_tokens(settings).issuer.issue("usr_1", tenant, ["inventory.holds:write"])
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as api,
    ):
        response = await api.post(
            "/v1/holds",
            json={
                "event_id": event_id,
                "seat_ids": ["A-1"],
                "ga": [{"zone_id": "GA", "quantity": 3}],
                "ttl_seconds": 1,
            },
            headers={"Authorization": f"Bearer {token.access_token}"},
        )
    assert response.status_code == 201, response.text
    hold_id: str = response.json()["id"]
    return hold_id


async def test_given_an_expired_hold_when_two_workers_sweep_then_one_release_is_published(
    settings: Settings,
    event: tuple[str, str],
    app_pool: AppPool,
    redis_clients: list[redis.asyncio.Redis],
    migrated_database: TemporaryDatabase,
) -> None:
    tenant, event_id = event
    hold_id = await hold_through_the_api(settings, tenant, event_id)
    sweepers = [
        redis_hold_sweeper(settings, redis_seating(app_pool, client, settings))
        for client in redis_clients
    ]
    stream = RedisAvailabilityEvents(redis_clients[0], SeatingKeys(settings.redis_key_prefix))

    async def released() -> list[dict[str, object]]:
        entries = await stream.since(event_id)
        return [msgspec.json.decode(e.data) for e in entries if e.type == "seat.released"]

    async with asyncio.timeout(5):
        while not await released():
            assert all(await asyncio.gather(*(run_once(job) for job in sweepers)))
            await asyncio.sleep(0.05)
    await asyncio.gather(*(run_once(job) for job in sweepers))

    assert await released() == [
        {
            "event_id": event_id,
            "hold_id": hold_id,
            "seat_ids": ["A-1"],
            "ga": [{"zone_id": "GA", "quantity": 3}],
            "reason": "expired",
            "sales_channel_id": None,
        }
    ]
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select h.status, s.status, s.hold_id, z.held from lml.holds h"
            " join lml.event_seats s on s.event_id = h.event_id"
            " join lml.event_zones z on z.event_id = h.event_id where h.id = %s",
            (hold_id,),
        )
        assert await cursor.fetchone() == ("expired", "available", None, 0)
