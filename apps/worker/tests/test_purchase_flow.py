"""The purchase, end to end on real PostgreSQL and Redis (a database of each test's own:
the outbox claim reads every organisation's rows): hold, order, payment intent, Stripe's
signed webhook, and the worker's outbox applying it.

Deliveries repeat and arrive out of order, two workers run at once, a payment can succeed
after its order ended: every event is stored and applied once, an order is paid once and
its seats sold once, a late payment is flagged (and refunded when configured)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
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
from lml_outbox import OutboxMessage, PostgresOutbox
from lml_payments.domain import STRIPE_EVENT_TOPIC
from lml_payments.fakes import FakeGateway, signed_event
from lml_sales.payment_events import apply_stripe_event
from lml_seating.infrastructure.adapters import redis_seating
from lml_tenancy import TenantUnitOfWork, tenant_unit_of_work
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.polling import eventually
from lml_testing.seed import seed_event
from lml_testing.served import served
from lml_worker import run_once
from lml_worker.jobs import Job
from lml_worker.outbox_job import postgres_outbox_processor

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]
PRICE = 4500


@dataclass
class Shop:
    settings: Settings
    client: httpx.AsyncClient
    headers: dict[str, str]
    tenant: str
    event_id: str
    admin_url: str

    async def order(self, seats: list[str], ga: int = 0) -> dict[str, Any]:
        """A pending order of ``seats`` (and ``ga`` places) with its payment intent."""
        body: dict[str, Any] = {"event_id": self.event_id, "seat_ids": seats}
        if ga:
            body["ga"] = [{"zone_id": "GA", "quantity": ga}]
        hold = await self.client.post("/v1/holds", json=body, headers=self.headers)
        assert hold.status_code == 201, hold.text
        order = await self.client.post(
            "/v1/orders",
            json={
                "hold_id": hold.json()["id"],
                "hold_token": hold.json()["hold_token"],
                "buyer": {"email": "ada@example.com", "name": "Ada"},
            },
            headers=self.headers,
        )
        assert order.status_code == 201, order.text
        intent = await self.client.post(
            f"/v1/orders/{order.json()['id']}/payment-intent", headers=self.headers
        )
        assert intent.status_code in (200, 201), intent.text
        return {**order.json(), "intent_id": intent.json()["payment_intent_id"]}

    async def deliver(self, kind: str, order: dict[str, Any], event_id: str | None = None) -> str:
        """Stripe's signed delivery of a ``kind`` event about the order's intent; its id."""
        event_id = event_id or f"evt_{uuid.uuid4().hex}"
        payload, signature = signed_event(
            self.settings.stripe_webhook_secret,
            kind,
            intent_id=order["intent_id"],
            org_id=self.tenant,
            order_id=order["id"],
            amount=order["total"],
            currency="EUR",
            event_id=event_id,
        )
        answer = await self.client.post(
            "/v1/webhooks/stripe",
            content=payload,
            headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
        )
        assert answer.status_code == 200, answer.text
        return event_id

    async def status(self, order: dict[str, Any]) -> str:
        read = await self.client.get(f"/v1/orders/{order['id']}", headers=self.headers)
        status: str = read.json()["status"]
        return status

    async def fetch(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        return await owner_rows(self.admin_url, sql, *params)


@pytest.fixture
def settings(sale_settings: Settings) -> Settings:
    return sale_settings


@asynccontextmanager
async def opened_shop(settings: Settings, database: TemporaryDatabase) -> AsyncIterator[Shop]:
    """An organisation's event on sale, and the API serving it (in the test's own task: the
    app's lifespan must end in the task it began in)."""
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(
        database.admin_url,
        tenant,
        event_id,
        ["A-1", "A-2", "A-3", "A-4", "A-5"],
        {"GA": 10},
        prices={"standard": PRICE},
    )
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    async with served(create_app(settings=settings)) as client:
        yield Shop(
            settings,
            client,
            {"Authorization": f"Bearer {issued.access_token}"},
            tenant,
            event_id,
            database.admin_url,
        )


@asynccontextmanager
async def workers(settings: Settings, count: int = 1) -> AsyncIterator[list[Job]]:
    """``count`` outbox jobs, each with its own connections, as separate workers have."""
    async with AsyncExitStack() as resources:
        jobs = []
        for _ in range(count):
            pool = await open_postgres(settings, resources)
            client = await open_redis(settings, resources)
            jobs.append(
                postgres_outbox_processor(
                    settings, pool, redis_seating(pool, client, settings), FakeGateway()
                )
            )
        yield jobs


async def drain(settings: Settings, count: int = 1) -> None:
    async with workers(settings, count) as jobs:
        for _ in range(3):  # a sale's follow-up is due only after its payment's row
            assert all(await asyncio.gather(*(run_once(job) for job in jobs)))


async def stream_of(shop: Shop, redis_url: str) -> list[tuple[str, dict[str, Any]]]:
    reader = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        prefix = shop.settings.redis_key_prefix
        entries = await reader.xrange(f"{prefix}:{{{shop.event_id}}}:events")
    finally:
        await reader.aclose()
    return [(fields["type"], msgspec.json.decode(fields["data"])) for _, fields in entries]


async def test_given_a_success_delivered_three_times_to_two_workers_then_paid_and_sold_once(
    settings: Settings, private_database: TemporaryDatabase, redis_url: str
) -> None:
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-1", "A-2"], ga=2)
        event = await shop.deliver("payment_intent.succeeded", order)
        await shop.deliver("payment_intent.succeeded", order, event_id=event)
        await shop.deliver("payment_intent.succeeded", order, event_id=event)

        await drain(settings, count=2)

        assert await shop.status(order) == "paid"
        assert await shop.fetch(
            "select seat_id, status from lml.event_seats where event_id = %s order by seat_id",
            shop.event_id,
        ) == [
            ("A-1", "sold"),
            ("A-2", "sold"),
            ("A-3", "available"),
            ("A-4", "available"),
            ("A-5", "available"),
        ]
        assert await shop.fetch(
            "select held, sold from lml.event_zones where event_id = %s", shop.event_id
        ) == [(0, 2)]
        assert await shop.fetch("select count(*) from lml.stripe_events") == [(1,)]
        assert await shop.fetch(
            "select attempts, processed_at is not null from lml.outbox where topic = 'stripe.event'"
        ) == [(1, True)]
        assert await shop.fetch(
            "select from_status, to_status, actor from lml.order_audit_log where order_id = %s"
            " order by id",
            order["id"],
        ) == [(None, "pending", "usr_1"), ("pending", "paid", "system:payments")]
        assert await shop.fetch("select status from lml.payments") == [("succeeded",)]
        sold = [data for kind, data in await stream_of(shop, redis_url) if kind == "seat.sold"]
        assert sold == [
            {
                "event_id": shop.event_id,
                "order_id": order["id"],
                "seat_ids": ["A-1", "A-2"],
                "ga": [{"zone_id": "GA", "quantity": 2}],
                "sales_channel_id": None,
            }
        ]
        rehold = await shop.client.post(
            "/v1/holds", json={"event_id": shop.event_id, "seat_ids": ["A-1"]}, headers=shop.headers
        )
        assert rehold.status_code == 409, "a sold seat is never held again"


@pytest.mark.parametrize(
    "deliveries",
    [
        ["payment_intent.succeeded", "payment_intent.processing"],
        ["payment_intent.payment_failed", "payment_intent.succeeded"],
        ["payment_intent.succeeded", "payment_intent.payment_failed"],
    ],
)
async def test_given_deliveries_out_of_order_then_the_order_ends_paid(
    settings: Settings, private_database: TemporaryDatabase, deliveries: list[str]
) -> None:
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-3"])
        for kind in deliveries:
            await shop.deliver(kind, order)
            await drain(settings)

        assert await shop.status(order) == "paid"
        assert await shop.fetch("select status from lml.payments") == [("succeeded",)]
        assert await shop.fetch(
            "select status from lml.event_seats where event_id = %s and seat_id = 'A-3'",
            shop.event_id,
        ) == [("sold",)]


async def test_given_a_processing_applied_beside_its_success_then_the_payment_says_succeeded(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    async with opened_shop(settings, private_database) as shop, AsyncExitStack() as resources:
        order = await shop.order(["A-2"])
        await shop.deliver("payment_intent.succeeded", order)
        await shop.deliver("payment_intent.processing", order)
        pool = await open_postgres(settings, resources)
        order_locks = redis_seating(pool, await open_redis(settings, resources), settings)
        claimed = await PostgresOutbox(pool).claim(10, timedelta(minutes=1))
        success, processing = [m for m in claimed if m.topic == STRIPE_EVENT_TOPIC]

        async def apply(message: OutboxMessage, unit: TenantUnitOfWork) -> None:
            await apply_stripe_event(
                message,
                unit,
                pool=pool,
                order_locks=order_locks.order_locks,
                refund_late_payments=False,
            )

        async def apply_processing() -> None:
            async with tenant_unit_of_work(pool, shop.tenant) as unit:
                await apply(processing, unit)
                await unit.commit()

        async with tenant_unit_of_work(pool, shop.tenant) as paying:
            await apply(success, paying)
            beside = asyncio.create_task(apply_processing())
            await eventually(lambda: waiting_on_a_lock(shop.admin_url))
            await paying.commit()
        await beside

        assert await shop.status(order) == "paid"
        assert await shop.fetch("select status from lml.payments") == [("succeeded",)]


async def waiting_on_a_lock(admin_url: str) -> bool:
    rows = await owner_rows(
        admin_url,
        "select count(*) from pg_stat_activity"
        " where datname = current_database() and wait_event_type = 'Lock'",
    )
    return bool(rows[0][0])


async def test_given_a_refund_before_its_payment_then_it_waits_and_the_order_ends_refunded(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-4"])
        await shop.deliver("charge.refunded", order)
        await drain(settings)
        assert await shop.status(order) == "pending"
        [(attempts, error)] = await shop.fetch(
            "select attempts, last_error from lml.outbox where topic = 'stripe.event'"
        )
        assert attempts == 1
        assert "not paid yet" in error

        await shop.deliver("payment_intent.succeeded", order)
        await drain(settings)
        async with await psycopg.AsyncConnection.connect(shop.admin_url) as owner:
            await owner.execute("update lml.outbox set next_attempt_at = now()")
        await drain(settings)

        assert await shop.status(order) == "refunded"
        assert await shop.fetch("select status from lml.payments") == [("refunded",)]


async def test_given_a_payment_in_flight_then_its_order_does_not_expire(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-5"])
        await shop.deliver("payment_intent.processing", order)
        await drain(settings)

        [(since,)] = await shop.fetch(
            "select payment_in_flight_since is not null from lml.orders where id = %s", order["id"]
        )
        assert since
        async with await psycopg.AsyncConnection.connect(shop.admin_url) as owner:
            await owner.execute(
                "update lml.orders set expires_at = now() - interval '1 second' where id = %s",
                (order["id"],),
            )
            cursor = await owner.execute(
                "select order_id from lml.claim_due_orders(100, interval '1 hour')"
            )
            assert await cursor.fetchall() == []


@pytest.mark.parametrize("refund_late_payments", [False, True])
async def test_given_a_payment_after_its_order_was_canceled_then_it_is_flagged_for_refund(
    settings: Settings, private_database: TemporaryDatabase, refund_late_payments: bool
) -> None:
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-1"])
        canceled = await shop.client.post(f"/v1/orders/{order['id']}/cancel", headers=shop.headers)
        assert canceled.status_code == 200, canceled.text
        await shop.deliver("payment_intent.succeeded", order)

        late = msgspec.structs.replace(settings, refund_late_payments=refund_late_payments)
        await drain(late)

        assert await shop.status(order) == "canceled"
        [(flagged, refund_id)] = await shop.fetch(
            "select refund_due_at is not null, refund_id from lml.payments"
        )
        assert flagged
        assert (refund_id is not None) is refund_late_payments
        [(reason,)] = await shop.fetch(
            "select reason from lml.order_audit_log where order_id = %s order by id desc limit 1",
            order["id"],
        )
        assert "refund due" in reason
        assert await shop.fetch(
            "select status from lml.event_seats where event_id = %s and seat_id = 'A-1'",
            shop.event_id,
        ) == [("available",)], "a late payment sells nothing"


async def test_given_an_event_of_an_intent_not_this_orders_then_nothing_is_stored_or_changed(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    """Given an event whose metadata names an order but an intent we never made for it, it
    is answered 200 and kept nowhere: the order stays pending."""
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-2"])
        stranger = {**order, "intent_id": "pi_not_this_orders"}
        await shop.deliver("payment_intent.succeeded", stranger)

        await drain(settings)

        assert await shop.status(order) == "pending"
        assert await shop.fetch("select count(*) from lml.stripe_events") == [(0,)]
        assert await shop.fetch("select count(*) from lml.outbox where topic = 'stripe.event'") == [
            (0,)
        ]


async def test_given_a_payment_received_in_time_when_no_worker_applied_it_then_the_order_waits(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    """Given Stripe's success stored while the order was pending, and no worker running
    until after the order's time ran out, the expirer leaves the order to its payment: it
    ends paid, not expired and refunded."""
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-2"])
        await shop.deliver("payment_intent.succeeded", order)
        async with await psycopg.AsyncConnection.connect(shop.admin_url) as owner:
            # Its time ran out a millisecond after the payment arrived: due now.
            await owner.execute(
                "update lml.orders set expires_at ="
                " (select received_at from lml.stripe_events) + interval '1 millisecond'"
                " where id = %s",
                (order["id"],),
            )
            cursor = await owner.execute(
                "select order_id from lml.claim_due_orders(100, interval '1 hour')"
            )
            assert await cursor.fetchall() == []

        await drain(settings)

        assert await shop.status(order) == "paid"
        assert await shop.fetch("select refund_due_at from lml.payments") == [(None,)]
        async with await psycopg.AsyncConnection.connect(shop.admin_url) as owner:
            cursor = await owner.execute(
                "select order_id from lml.claim_due_orders(100, interval '1 hour')"
            )
            assert await cursor.fetchall() == []


async def test_given_a_payment_received_after_the_order_ran_out_then_the_order_expires(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    """Only a payment received in time holds the order: one received after its time ran
    out does not, and is applied late (flagged for refund) as before."""
    async with opened_shop(settings, private_database) as shop:
        order = await shop.order(["A-3"])
        async with await psycopg.AsyncConnection.connect(shop.admin_url) as owner:
            await owner.execute(
                "update lml.orders set expires_at = now() - interval '1 second' where id = %s",
                (order["id"],),
            )
        await shop.deliver("payment_intent.succeeded", order)
        async with await psycopg.AsyncConnection.connect(shop.admin_url) as owner:
            cursor = await owner.execute(
                "select order_id from lml.claim_due_orders(100, interval '1 hour')"
            )
            assert await cursor.fetchall() == [(order["id"],)]
