"""Buyers on two API instances race for the same few seats and GA places, order what they
got and pay, with Stripe's deliveries landing on either instance (some on both), and two
outbox workers apply them at once: no seat or place is sold twice, every paid order got
exactly its seats, GA never sells above capacity."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest

from lml_api.app import create_app
from lml_api.container import open_postgres, open_redis
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_payments.fakes import FakeGateway, signed_event
from lml_seating.infrastructure.adapters import redis_seating
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.seed import seed_event
from lml_testing.served import served
from lml_worker import run_once
from lml_worker.outbox_job import postgres_outbox_processor

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]
SEATS = [f"S-{n}" for n in range(1, 11)]
GA_CAPACITY = 6
BUYERS_PER_INSTANCE = 15
ATTEMPTS = 4


@pytest.fixture
def settings(sale_settings: Settings) -> Settings:
    return sale_settings


@asynccontextmanager
async def two_instances(settings: Settings) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two API instances, each with its own pools, Redis clients and batchers (in the
    test's own task: an app's lifespan must end in the task it began in)."""
    async with (
        served(create_app(settings=settings)) as one,
        served(create_app(settings=settings)) as other,
    ):
        yield [one, other]


class Buyer:
    def __init__(
        self, settings: Settings, tenant: str, event_id: str, token: str, seed: int
    ) -> None:
        self._settings = settings
        self._tenant = tenant
        self._event_id = event_id
        self._headers = {"Authorization": f"Bearer {token}"}
        self._draw = random.Random(seed)

    async def buy(self, instances: list[httpx.AsyncClient]) -> dict[str, Any] | None:
        """Hold what is left on a random instance, order it and pay: the paid order, or
        None when every attempt lost the race."""
        for _ in range(ATTEMPTS):
            client = self._draw.choice(instances)
            body: dict[str, Any] = {
                "event_id": self._event_id,
                "seat_ids": self._draw.sample(SEATS, self._draw.randint(1, 2)),
            }
            if self._draw.random() < 0.5:
                body["ga"] = [{"zone_id": "GA", "quantity": 1}]
            hold = await client.post("/v1/holds", json=body, headers=self._headers)
            if hold.status_code == 409:
                continue
            assert hold.status_code == 201, hold.text
            order = await client.post(
                "/v1/orders",
                json={
                    "hold_id": hold.json()["id"],
                    "hold_token": hold.json()["hold_token"],
                    "buyer": {"email": "ada@example.com", "name": "Ada"},
                },
                headers=self._headers,
            )
            assert order.status_code == 201, order.text
            await self._pay(instances, order.json())
            placed: dict[str, Any] = order.json()
            return placed
        return None

    async def _pay(self, instances: list[httpx.AsyncClient], order: dict[str, Any]) -> None:
        client = self._draw.choice(instances)
        intent = await client.post(
            f"/v1/orders/{order['id']}/payment-intent", headers=self._headers
        )
        assert intent.status_code == 201, intent.text
        payload, signature = signed_event(
            self._settings.stripe_webhook_secret,
            "payment_intent.succeeded",
            intent_id=intent.json()["payment_intent_id"],
            org_id=self._tenant,
            order_id=order["id"],
            amount=order["total"],
            currency="EUR",
            event_id=f"evt_{uuid.uuid4().hex}",
        )
        # Stripe retries: half the deliveries reach both instances, at once.
        targets = instances if self._draw.random() < 0.5 else [client]
        answers = await asyncio.gather(
            *(
                target.post(
                    "/v1/webhooks/stripe",
                    content=payload,
                    headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
                )
                for target in targets
            )
        )
        assert [answer.status_code for answer in answers] == [200] * len(targets)


async def drain_with_two_workers(settings: Settings) -> None:
    async with AsyncExitStack() as resources:
        jobs = []
        for _ in range(2):
            pool = await open_postgres(settings, resources)
            client = await open_redis(settings, resources)
            jobs.append(
                postgres_outbox_processor(
                    settings, pool, redis_seating(pool, client, settings), FakeGateway()
                )
            )
        for _ in range(3):  # a sale's follow-up is due only after its payment's row
            assert all(await asyncio.gather(*(run_once(job) for job in jobs)))


async def test_given_buyers_racing_on_two_instances_then_nothing_is_sold_twice(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    admin = private_database.admin_url
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(admin, tenant, event_id, SEATS, {"GA": GA_CAPACITY}, prices={"standard": 4500})
    token = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES).access_token
    buyers = [
        Buyer(settings, tenant, event_id, token, seed) for seed in range(2 * BUYERS_PER_INSTANCE)
    ]

    async with two_instances(settings) as instances:
        bought = await asyncio.gather(*(buyer.buy(instances) for buyer in buyers))
    await drain_with_two_workers(settings)

    paid = [order for order in bought if order is not None]
    assert paid, "the race sold nothing at all"
    seats_bought = [
        line["seat_id"] for order in paid for line in order["lines"] if line.get("seat_id")
    ]
    assert len(seats_bought) == len(set(seats_bought)), "a seat was ordered twice"
    assert sorted(
        await owner_rows(
            admin,
            "select s.seat_id, o.id from lml.event_seats s join lml.orders o"
            " on o.hold_id = s.hold_id and o.event_id = s.event_id"
            " where s.event_id = %s and s.status = 'sold' and o.status = 'paid'",
            event_id,
        )
    ) == sorted(
        (line["seat_id"], order["id"])
        for order in paid
        for line in order["lines"]
        if line.get("seat_id")
    )
    ga_bought = sum(1 for order in paid for line in order["lines"] if line.get("zone_id"))
    assert ga_bought <= GA_CAPACITY
    assert await owner_rows(
        admin, "select held, sold from lml.event_zones where event_id = %s", event_id
    ) == [(0, ga_bought)]
    assert await owner_rows(
        admin,
        "select status, count(*) from lml.orders where event_id = %s group by status",
        event_id,
    ) == [("paid", len(paid))]
