"""Two ``lml worker`` processes on one PostgreSQL and Redis, one of them killed with
``SIGKILL`` while the outbox is being worked and started again: the payments, the
follow-ups that sell their seats, the expiry of lapsed holds and of unpaid orders are all
done, each exactly once, and nothing is lost."""

from __future__ import annotations

import signal
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from msgspec.structs import replace

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_devstack import free_port
from lml_payments.fakes import signed_event
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.lml_processes import kill_with_children, lml_process, wait_for_http_ok
from lml_testing.polling import eventually
from lml_testing.seed import seed_event
from lml_testing.served import served

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]
SEATS = [f"S-{n:02d}" for n in range(1, 61)]
PAID, UNPAID, LAPSING = 20, 5, 5
POLLING = {"deadline_seconds": 60.0, "every_seconds": 0.1}
STOP_DEADLINE_SECONDS = 15


@dataclass
class Sale:
    settings: Settings
    client: httpx.AsyncClient
    headers: dict[str, str]
    tenant: str
    event_id: str

    async def hold(self, seats: list[str], ga: int = 0, **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"event_id": self.event_id, "seat_ids": seats, **extra}
        if ga:
            body["ga"] = [{"zone_id": "GA", "quantity": ga}]
        hold = await self.client.post("/v1/holds", json=body, headers=self.headers)
        assert hold.status_code == 201, hold.text
        held: dict[str, Any] = hold.json()
        return held

    async def order(self, seats: list[str], ga: int = 0) -> dict[str, Any]:
        hold = await self.hold(seats, ga)
        order = await self.client.post(
            "/v1/orders",
            json={
                "hold_id": hold["id"],
                "hold_token": hold["hold_token"],
                "buyer": {"email": "ada@example.com", "name": "Ada"},
            },
            headers=self.headers,
        )
        assert order.status_code == 201, order.text
        placed: dict[str, Any] = order.json()
        return placed

    async def pay(self, order: dict[str, Any], deliveries: int) -> None:
        """Stripe's success for the order's intent, delivered ``deliveries`` times."""
        intent = await self.client.post(
            f"/v1/orders/{order['id']}/payment-intent", headers=self.headers
        )
        assert intent.status_code == 201, intent.text
        payload, signature = signed_event(
            self.settings.stripe_webhook_secret,
            "payment_intent.succeeded",
            intent_id=intent.json()["payment_intent_id"],
            org_id=self.tenant,
            order_id=order["id"],
            amount=order["total"],
            currency="EUR",
            event_id=f"evt_{uuid.uuid4().hex}",
        )
        for _ in range(deliveries):
            delivered = await self.client.post(
                "/v1/webhooks/stripe",
                content=payload,
                headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
            )
            assert delivered.status_code == 200, delivered.text


@pytest.fixture
def settings(sale_settings: Settings) -> Settings:
    return replace(sale_settings, hold_min_ttl_seconds=1)


@asynccontextmanager
async def opened_sale(settings: Settings, database: TemporaryDatabase) -> AsyncIterator[Sale]:
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(
        database.admin_url, tenant, event_id, SEATS, {"GA": PAID}, prices={"standard": 4500}
    )
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    async with served(create_app(settings=settings)) as client:
        yield Sale(
            settings, client, {"Authorization": f"Bearer {issued.access_token}"}, tenant, event_id
        )


def worker_environment(settings: Settings) -> dict[str, str]:
    """A worker as operators run it, polling often and claiming small batches with short
    leases, so a killed worker's rows come back within the test."""
    return {
        "LML_WORKER_PORT": str(free_port()),
        "LML_DATABASE_URL": str(settings.database_url),
        "LML_REDIS_URL": str(settings.redis_url),
        "LML_REDIS_KEY_PREFIX": settings.redis_key_prefix,
        "LML_MONGO_URL": str(settings.mongo_url),
        "LML_HOLD_MIN_TTL_SECONDS": "1",
        "LML_HOLD_SWEEP_INTERVAL_SECONDS": "0.2",
        "LML_ORDER_EXPIRY_INTERVAL_SECONDS": "0.2",
        "LML_OUTBOX_INTERVAL_SECONDS": "0.05",
        "LML_OUTBOX_BATCH_SIZE": "3",
        "LML_OUTBOX_LEASE_SECONDS": "2",
    }


async def processed_rows(admin_url: str) -> tuple[int, int]:
    """(processed, left) outbox rows."""
    ((processed, left),) = await owner_rows(
        admin_url,
        "select count(*) filter (where processed_at is not null),"
        " count(*) filter (where processed_at is null and dead_at is null) from lml.outbox",
    )
    return processed, left


async def test_given_two_workers_when_one_is_killed_mid_work_then_everything_is_done_once(
    settings: Settings, private_database: TemporaryDatabase, tmp_path: Path
) -> None:
    admin = private_database.admin_url
    async with opened_sale(settings, private_database) as sale:
        paid = [await sale.order(SEATS[2 * n : 2 * n + 2], ga=1) for n in range(PAID)]
        unpaid = [await sale.order([SEATS[40 + n]]) for n in range(UNPAID)]
        lapsing = [await sale.hold([SEATS[50 + n]], ttl_seconds=1) for n in range(LAPSING)]
        for n, order in enumerate(paid):
            await sale.pay(order, deliveries=1 + n % 3)  # Stripe delivers some more than once
        await owner_rows(
            admin,
            "update lml.orders set expires_at = now() - interval '1 second'"
            " where id = any(%s) returning id",
            [order["id"] for order in unpaid],
        )

        async with AsyncExitStack() as stack:
            started: list[subprocess.Popen[bytes]] = []

            def start_worker(name: str) -> subprocess.Popen[bytes]:
                env = worker_environment(settings)
                worker = lml_process("worker", env, tmp_path / f"{name}.log")
                stack.callback(kill_with_children, worker)
                wait_for_http_ok(f"http://127.0.0.1:{env['LML_WORKER_PORT']}/livez", worker, 30)
                started.append(worker)
                return worker

            killed, survivor = start_worker("first"), start_worker("second")
            await eventually(lambda: _some_done(admin), **POLLING)
            killed.kill()
            assert killed.wait(timeout=STOP_DEADLINE_SECONDS) == -signal.SIGKILL
            restarted = start_worker("restarted")
            await eventually(lambda: _all_done(admin, sale.event_id), **POLLING)
            for worker in (survivor, restarted):
                worker.send_signal(signal.SIGTERM)
                assert worker.wait(timeout=STOP_DEADLINE_SECONDS) == 0

        statuses = {
            order["id"]: (
                await sale.client.get(f"/v1/orders/{order['id']}", headers=sale.headers)
            ).json()["status"]
            for order in paid + unpaid
        }
        rehold = await sale.hold([hold["seat_ids"][0] for hold in lapsing])

    assert [statuses[order["id"]] for order in paid] == ["paid"] * PAID
    assert [statuses[order["id"]] for order in unpaid] == ["expired"] * UNPAID
    assert rehold["seat_ids"] == [hold["seat_ids"][0] for hold in lapsing]
    transitions = await owner_rows(
        admin,
        "select from_status, to_status, count(*) from lml.order_audit_log"
        " where from_status is not null group by 1, 2 order by 1, 2",
    )
    assert transitions == [("pending", "expired", UNPAID), ("pending", "paid", PAID)]
    assert await owner_rows(
        admin,
        "select count(*), count(distinct s.seat_id) from lml.event_seats s"
        " join lml.order_lines l on l.seat_id = s.seat_id join lml.orders o"
        " on o.id = l.order_id and o.event_id = s.event_id"
        " where s.status = 'sold' and o.status = 'paid' and s.hold_id = o.hold_id",
    ) == [(2 * PAID, 2 * PAID)]
    assert await owner_rows(
        admin, "select held, sold from lml.event_zones where event_id = %s", sale.event_id
    ) == [(0, PAID)]
    assert await owner_rows(
        admin,
        "select (select count(*) from lml.stripe_events),"
        " (select count(*) from lml.outbox where dead_at is not null)",
    ) == [(PAID, 0)]


async def _some_done(admin_url: str) -> bool:
    processed, _ = await processed_rows(admin_url)
    return processed >= 4


async def _all_done(admin_url: str, event_id: str) -> bool:
    _, left = await processed_rows(admin_url)
    ((pending, live_holds),) = await owner_rows(
        admin_url,
        "select (select count(*) from lml.orders where status = 'pending'),"
        " (select count(*) from lml.holds where status = 'active' and event_id = %s)",
        event_id,
    )
    return left == 0 and pending == 0 and live_holds == 0
