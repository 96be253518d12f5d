"""An order's lock follow-ups, end to end on real PostgreSQL and Redis: placing and
canceling an order write their outbox rows in the order's transaction, and the worker's
outbox job applies them once, after the API already did (idempotent), or in its stead."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack

import pytest
import redis.asyncio

from lml_api.app import create_app
from lml_api.container import open_postgres, open_redis
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_payments.fakes import FakeGateway
from lml_seating.infrastructure.adapters import redis_seating
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.seed import seed_event
from lml_testing.served import served
from lml_worker import run_once
from lml_worker.outbox_job import postgres_outbox_processor

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]


@pytest.fixture
def settings(sale_settings: Settings) -> Settings:
    return sale_settings


async def test_given_a_placed_and_a_canceled_order_then_the_worker_applies_their_follow_ups_once(
    settings: Settings,
    private_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    admin = private_database.admin_url
    await seed_event(admin, tenant, event_id, ["A-1", "A-2"], {}, prices={"standard": 100})
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    headers = {"Authorization": f"Bearer {issued.access_token}"}
    async with served(create_app(settings=settings)) as client:
        orders = []
        for seat in ("A-1", "A-2"):
            hold = await client.post(
                "/v1/holds", json={"event_id": event_id, "seat_ids": [seat]}, headers=headers
            )
            assert hold.status_code == 201, hold.text
            order = await client.post(
                "/v1/orders",
                json={
                    "hold_id": hold.json()["id"],
                    "hold_token": hold.json()["hold_token"],
                    "buyer": {"email": "ada@example.com", "name": "Ada"},
                },
                headers=headers,
            )
            assert order.status_code == 201, order.text
            orders.append(order.json())
        canceled = await client.post(f"/v1/orders/{orders[1]['id']}/cancel", headers=headers)
        assert canceled.status_code == 200, canceled.text

    assert await owner_rows(
        admin, "select topic, payload->'hold'->>'id' from lml.outbox order by id"
    ) == [
        ("hold.converted", orders[0]["hold_id"]),
        ("hold.converted", orders[1]["hold_id"]),
        ("hold.released", orders[1]["hold_id"]),
    ]
    async with AsyncExitStack() as resources:
        pool = await open_postgres(settings, resources)
        redis_client = await open_redis(settings, resources)
        job = postgres_outbox_processor(
            settings, pool, redis_seating(pool, redis_client, settings), FakeGateway()
        )
        assert await run_once(job)
        assert await run_once(job)

    assert await owner_rows(
        admin, "select count(*) filter (where processed_at is not null), count(*) from lml.outbox"
    ) == [(3, 3)]
    reader = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        states = [
            await reader.hget(f"{redis_key_prefix}:{{{event_id}}}:hold:{o['hold_id']}", "state")
            for o in orders
        ]
        entries = await reader.xrange(f"{redis_key_prefix}:{{{event_id}}}:events")
    finally:
        await reader.aclose()
    assert states == ["converted", "order_canceled"]
    released = [fields for _, fields in entries if fields["type"] == "seat.released"]
    assert len(released) == 1, "the worker's replay of the cancel published nothing twice"
