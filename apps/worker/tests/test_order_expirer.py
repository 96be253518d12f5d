"""The order expirer on real PostgreSQL and Redis: a due pending order expires exactly once
with two expirers running at once; an order not yet due, or canceled, is left alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import msgspec
import psycopg
import pytest
import redis.asyncio

from lml_api.app import create_app
from lml_api.container import open_postgres, open_redis
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_seating.infrastructure.adapters import redis_seating
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.seed import seed_event
from lml_testing.served import served
from lml_worker import run_once
from lml_worker.order_expirer import postgres_order_expirer

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url, redis_key_prefix=redis_key_prefix, rate_limit_budgets="*=100000/60s"
    )


async def an_order(
    client: httpx.AsyncClient, headers: dict[str, str], event_id: str, seats: list[str], ga: int
) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": event_id, "seat_ids": seats}
    if ga:
        body["ga"] = [{"zone_id": "GA", "quantity": ga}]
    hold = await client.post("/v1/holds", json=body, headers=headers)
    assert hold.status_code == 201, hold.text
    order = await client.post(
        "/v1/orders",
        json={
            "hold_id": hold.json()["id"],
            "hold_token": hold.json()["hold_token"],
            "buyer": {"email": "ada@example.com", "name": "Ada Lovelace"},
        },
        headers=headers,
    )
    assert order.status_code == 201, order.text
    placed: dict[str, Any] = order.json()
    return placed


async def test_a_due_order_expires_once_with_two_expirers_and_others_are_left_alone(
    settings: Settings,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    tenant = f"org_{uuid.uuid4().hex[:12]}"
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    admin = migrated_database.admin_url
    await seed_event(
        admin, tenant, event_id, ["A-1", "A-2", "A-3", "A-4"], {"GA": 10}, prices={"standard": 100}
    )
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    headers = {"Authorization": f"Bearer {issued.access_token}"}
    async with served(create_app(settings=settings)) as client:
        due = await an_order(client, headers, event_id, ["A-1", "A-2"], ga=2)
        later = await an_order(client, headers, event_id, ["A-3"], ga=1)
        canceled = await an_order(client, headers, event_id, ["A-4"], ga=0)
        cancel = await client.post(f"/v1/orders/{canceled['id']}/cancel", headers=headers)
        assert cancel.status_code == 200, cancel.text
        async with await psycopg.AsyncConnection.connect(admin) as owner:
            await owner.execute(
                "update lml.orders set expires_at = now() - interval '1 second' where id = any(%s)",
                ([due["id"], canceled["id"]],),
            )
            await owner.commit()

        async with AsyncExitStack() as resources:
            expirers = []
            for _ in range(2):  # two workers, each with its own connections
                pool = await open_postgres(settings, resources)
                redis_client = await open_redis(settings, resources)
                expirers.append(
                    postgres_order_expirer(
                        settings, pool, redis_seating(pool, redis_client, settings)
                    )
                )
            assert all(await asyncio.gather(*(run_once(job) for job in expirers)))
            assert all(await asyncio.gather(*(run_once(job) for job in expirers)))

        read = {
            order["id"]: (await client.get(f"/v1/orders/{order['id']}", headers=headers)).json()
            for order in (due, later, canceled)
        }
        # The expired order's seats can be held again at once.
        rehold = await client.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["A-1", "A-2"]}, headers=headers
        )

    assert read[due["id"]]["status"] == "expired"
    assert read[later["id"]]["status"] == "pending"
    assert read[canceled["id"]]["status"] == "canceled"
    assert rehold.status_code == 201, rehold.text
    assert await owner_rows(
        admin,
        # This test's orders only: the database is shared with other tests' due orders.
        "select order_id, from_status, to_status, actor, reason from lml.order_audit_log"
        " where to_status = 'expired' and order_id = any(%s)",
        [due["id"], later["id"], canceled["id"]],
    ) == [(due["id"], "pending", "expired", "system:order-expirer", "expired")]
    assert await owner_rows(
        admin,
        "select to_status from lml.order_audit_log where order_id = %s order by id",
        canceled["id"],
    ) == [("pending",), ("canceled",)]
    assert await owner_rows(
        admin, "select held from lml.event_zones where event_id = %s", event_id
    ) == [(1,)], "the expired order's two places came back; the later order keeps its one"
    assert await owner_rows(
        admin, "select status from lml.holds where id = %s", due["hold_id"]
    ) == [("released",)]
    reader = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        entries = await reader.xrange(f"{redis_key_prefix}:{{{event_id}}}:events")
    finally:
        await reader.aclose()
    released = [
        msgspec.json.decode(fields["data"])
        for _, fields in entries
        if fields["type"] == "seat.released"
    ]
    assert [(r["hold_id"], r["reason"]) for r in released if r["reason"] == "order_expired"] == [
        (due["hold_id"], "order_expired")
    ]
    assert {r["hold_id"] for r in released} == {due["hold_id"], canceled["hold_id"]}
