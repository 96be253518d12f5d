"""Orders and payments per second over HTTP, against the API and the worker as production
runs them, beside the hold rate and a bare Litestar route measured in the same run.

Makes a fresh database (migrated) with one event of ``--seats`` seats and a GA zone,
starts ``lml api`` (``LML_API_WORKERS=--workers``) and ``lml worker`` on real PostgreSQL
and Redis and a MongoDB-wire server, with the fake payment gateway (no Stripe key) and a
webhook secret, and a bare Litestar app (one JSON POST route, no middleware). Then, each
for ``--seconds``, with ``--clients`` buyers on one keep-alive connection each:

1. the bare route: the reference for webhook ingestion;
2. holds alone (1 to 2 seats, lapsing after 2 s): the reference for order creation;
3. orders: hold, then order it (each order needs its hold, so an order costing what a
   hold costs gives 0.5 of the hold rate);
4. the purchase: hold, order, payment intent, then Stripe's signed
   ``payment_intent.succeeded`` for it to the webhook (the fake gateway succeeds every
   payment); each buyer buys seats no one else asks for, and one GA place in three orders;
5. webhook ingestion alone: signed deliveries of new events (``payment_intent.processing``
   for orders already paid: stored, enqueued and applied as no-ops) as fast as they are
   answered, while the outbox lag (``lml.outbox_lag()``) is sampled every 100 ms.

Then it waits for the worker to drain the outbox and audits PostgreSQL and Redis: every
sold seat belongs to exactly one paid order, every paid order's seats are sold, no seat is
locked in Redis by any hold but the one its paid order came from, GA sold never exceeds
capacity (PostgreSQL and Redis agree), every webhook event is stored once and applied
once, and every paid order was paid once (one pending -> paid audit entry): the sale audit
of ``lml_testing.sale_audit``, shared with bench/onsale.py.

    uv run python bench/orders.py [--clients 32] [--seconds 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sys
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import msgspec
import psycopg
from holds import (
    WARMUP_SECONDS,
    Connection,
    api_environment,
    bench_database,
    parse_and_run,
    percentile,
    seed_event,
    server_process,
    uvicorn_command,
)

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import free_port, secantus_server
from lml_payments.fakes import signed_event
from lml_testing.sale_audit import audit_sale

SCOPES = ["inventory.holds:write", "inventory.read", "orders.write", "orders.read"]
WEBHOOK_SECRET = "whsec_bench_" + "x" * 24
GA_ZONE, GA_CAPACITY = "floor", 100_000
DRAIN_SECONDS = 120.0
BUYER = {"email": "buyer@example.com", "name": "Bench Buyer"}


@dataclass
class Steps:
    """Latencies (ms) per step, and what came back."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    paid: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)  # Stripe event ids answered 200
    seconds: float = 0.0

    def record(self, step: str, started: float, status: int) -> None:
        self.latencies.setdefault(step, []).append((time.perf_counter() - started) * 1000)
        counts = self.statuses.setdefault(step, {})
        counts[status] = counts.get(status, 0) + 1

    def ok(self, step: str, status: int) -> int:
        return self.statuses.get(step, {}).get(status, 0)


class Buyer:
    def __init__(self, connection: Connection, event_id: str, seats: list[str], org_id: str):
        self.connection, self.event_id, self.org_id = connection, event_id, org_id
        self.seats = seats  # this buyer's own, in buying order

    async def call(self, steps: Steps, step: str, method: str, path: str, body: object) -> Any:
        started = time.perf_counter()
        payload = b"" if body is None else msgspec.json.encode(body)
        status, answer = await self.connection.send(method, path, payload)
        steps.record(step, started, status)
        return status, (msgspec.json.decode(answer) if answer else None)

    async def hold(self, steps: Steps, seats: list[str], ga: int, ttl: int) -> Any:
        body: dict[str, Any] = {"event_id": self.event_id, "seat_ids": seats, "ttl_seconds": ttl}
        if ga:
            body["ga"] = [{"zone_id": GA_ZONE, "quantity": ga}]
        return await self.call(steps, "hold", "POST", "/v1/holds", body)

    async def deliver(self, steps: Steps, kind: str, intent: dict[str, Any], order: Any) -> int:
        event_id = f"evt_bench_{uuid.uuid4().hex}"
        payload, signature = signed_event(
            WEBHOOK_SECRET,
            kind,
            intent_id=intent["payment_intent_id"],
            org_id=self.org_id,
            order_id=order["id"],
            amount=order["total"],
            currency="EUR",
            event_id=event_id,
        )
        started = time.perf_counter()
        status, _ = await self.connection.send(
            "POST", "/v1/webhooks/stripe", payload, extra=f"Stripe-Signature: {signature}\r\n"
        )
        steps.record("webhook", started, status)
        if status == 200:
            steps.delivered.append(event_id)
        return status

    async def order(self, steps: Steps, draw: random.Random) -> tuple[Any, list[str], int]:
        """Hold 1 or 2 of this buyer's seats (and a GA place in a third of orders), then
        order them: the order, or None."""
        seats = [self.seats.pop() for _ in range(min(draw.randint(1, 2), len(self.seats)))]
        ga = 1 if draw.random() < 1 / 3 else 0
        if not seats and not ga:
            return None, seats, ga
        status, hold = await self.hold(steps, seats, ga, ttl=60)
        if status != 201:
            return None, seats, ga
        status, order = await self.call(
            steps,
            "order",
            "POST",
            "/v1/orders",
            {"hold_id": hold["id"], "hold_token": hold["hold_token"], "buyer": BUYER},
        )
        return (order if status == 201 else None), seats, ga

    async def purchase(self, steps: Steps, draw: random.Random) -> None:
        order, seats, ga = await self.order(steps, draw)
        if order is None:
            return
        status, intent = await self.call(
            steps, "intent", "POST", f"/v1/orders/{order['id']}/payment-intent", None
        )
        if status not in (200, 201):
            return
        if await self.deliver(steps, "payment_intent.succeeded", intent, order) == 200:
            steps.paid.append({"order": order, "intent": intent, "seats": seats, "ga": ga})


async def open_buyers(
    port: int, authorization: str, count: int, event_id: str, seats: list[str], org_id: str
) -> list[Buyer]:
    buyers = []
    for n in range(count):
        connection = Connection(port, authorization)
        await connection.open()
        buyers.append(Buyer(connection, event_id, seats[n::count], org_id))
    return buyers


async def run_phase(buyers: list[Buyer], seconds: float, work: Any) -> Steps:
    steps = Steps()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()

    async def loop(buyer: Buyer) -> None:
        draw = random.Random()
        while time.perf_counter() < deadline:
            await work(buyer, steps, draw)

    await asyncio.gather(*(loop(buyer) for buyer in buyers))
    steps.seconds = time.perf_counter() - started
    return steps


async def bare_request(buyer: Buyer, steps: Steps, draw: random.Random) -> None:
    await buyer.call(steps, "bare", "POST", "/bare", {"event_id": buyer.event_id, "seat_ids": []})


async def hold_alone(buyer: Buyer, steps: Steps, draw: random.Random) -> None:
    seats = draw.sample(buyer.seats, draw.randint(1, 2))
    await buyer.hold(steps, seats, 0, ttl=2)


def redeliveries(paid: list[dict[str, Any]]) -> Any:
    async def deliver(buyer: Buyer, steps: Steps, draw: random.Random) -> None:
        bought = draw.choice(paid)
        await buyer.deliver(steps, "payment_intent.processing", bought["intent"], bought["order"])

    return deliver


async def outbox_lag(admin_url: str, stop: asyncio.Event, samples: list[float]) -> None:
    async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as owner:
        while not stop.is_set():
            cursor = await owner.execute(
                "select extract(epoch from coalesce(lml.outbox_lag(), interval '0'))::float8"
            )
            row = await cursor.fetchone()
            samples.append(float(row[0]) if row else 0.0)
            await asyncio.sleep(0.1)


async def drained(admin_url: str) -> float:
    """Seconds until no outbox row is left to process (raises past DRAIN_SECONDS)."""
    started = time.perf_counter()
    async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as owner:
        while time.perf_counter() - started < DRAIN_SECONDS:
            cursor = await owner.execute(
                "select count(*) from lml.outbox where processed_at is null and dead_at is null"
            )
            row = await cursor.fetchone()
            if row and row[0] == 0:
                return time.perf_counter() - started
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the outbox was not drained within {DRAIN_SECONDS} s")


async def audit(
    admin_url: str, redis_url: str, prefix: str, event_id: str, purchases: Steps, *more: Steps
) -> dict[str, int]:
    """The sale's audit (lml_testing.sale_audit); no order expires in this run, so every
    payment the client saw answered must have paid its order."""
    delivered = [event for steps in (purchases, *more) for event in steps.delivered]
    sale = await audit_sale(admin_url, redis_url, prefix, event_id, delivered_event_ids=delivered)
    return {
        **sale.findings,
        "orders paid by a webhook the client saw answered, but not paid": len(purchases.paid)
        - sale.paid_orders,
    }


def table(rows: list[tuple[str, float, int, list[float]]]) -> str:
    lines = [
        "| step | per s | count | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rate, count, latencies in rows:
        quantiles = " | ".join(f"{percentile(latencies, q):.1f}" for q in (0.5, 0.95, 0.99))
        lines.append(f"| {name} | {rate:.0f} | {count} | {quantiles} |")
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> int:
    async with bench_database(args) as (database, prefix):
        tenant, event_id, seats = await seed_event(
            database.admin_url, args.seats, zones={GA_ZONE: GA_CAPACITY}
        )
        settings = load_settings({})
        token = build_tokens(settings).issuer.issue("usr_bench", tenant, SCOPES).access_token
        authorization = f"Authorization: Bearer {token}\r\n"
        api_port, bare_port, worker_port = free_port(), free_port(), free_port()
        # Holds alone take the first third of the seats; orders and purchases one each.
        third = len(seats) // 3
        with ExitStack() as stack:
            mongo_url = stack.enter_context(secantus_server(None))
            env = api_environment(
                args,
                database,
                prefix,
                mongo_url,
                api_port,
                db_pool_max_size=str(args.pool),
                hold_min_ttl_seconds="1",
                api_workers=str(args.workers),
                stripe_webhook_secret=WEBHOOK_SECRET,
                worker_port=str(worker_port),
                **dict(item.split("=", 1) for item in args.setting),
            )
            stack.enter_context(
                server_process([sys.executable, "-m", "lml_cli", "api"], api_port, env)
            )
            stack.enter_context(
                server_process([sys.executable, "-m", "lml_cli", "worker"], worker_port, env)
            )
            bare_app = uvicorn_command(
                ["holds:bare_app", "--app-dir", "bench"], bare_port, args.workers
            )
            stack.enter_context(server_process(bare_app, bare_port, env))

            bare_buyers = await open_buyers(
                bare_port, authorization, args.clients, event_id, seats[:third], tenant
            )
            await run_phase(bare_buyers, WARMUP_SECONDS, bare_request)
            bare = await run_phase(bare_buyers, args.seconds, bare_request)
            hold_buyers = await open_buyers(
                api_port, authorization, args.clients, event_id, seats[:third], tenant
            )
            await run_phase(hold_buyers, WARMUP_SECONDS, hold_alone)
            holds = await run_phase(hold_buyers, args.seconds, hold_alone)
            order_buyers = await open_buyers(
                api_port, authorization, args.clients, event_id, seats[third : 2 * third], tenant
            )
            orders = await run_phase(order_buyers, args.seconds, lambda b, s, d: b.order(s, d))
            buy_buyers = await open_buyers(
                api_port, authorization, args.clients, event_id, seats[2 * third :], tenant
            )
            purchase_lag: list[float] = []
            stop = asyncio.Event()
            sampler = asyncio.create_task(outbox_lag(database.admin_url, stop, purchase_lag))
            purchases = await run_phase(buy_buyers, args.seconds, lambda b, s, d: b.purchase(s, d))
            stop.set()
            await sampler
            ingestion_lag: list[float] = []
            stop = asyncio.Event()
            sampler = asyncio.create_task(outbox_lag(database.admin_url, stop, ingestion_lag))
            ingestion = await run_phase(buy_buyers, args.seconds, redeliveries(purchases.paid))
            stop.set()
            await sampler
            drain_seconds = await drained(database.admin_url)
            for buyer in (*bare_buyers, *hold_buyers, *order_buyers, *buy_buyers):
                await buyer.connection.close()
        findings = await audit(
            database.admin_url, args.redis, prefix, event_id, purchases, ingestion
        )

    bare_rate = bare.ok("bare", 201) / bare.seconds
    hold_rate = holds.ok("hold", 201) / holds.seconds
    order_rate = orders.ok("order", 201) / orders.seconds
    paid_rate = len(purchases.paid) / purchases.seconds
    ingest_rate = len(ingestion.delivered) / ingestion.seconds
    print(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()};"
        f" {args.clients} clients, {args.seconds:.0f} s a phase, {args.workers} API processes"
        f" and one worker, fake gateway\n"
    )
    purchase_rows = [
        (
            f"purchase: {step}",
            purchases.ok(step, ok) / purchases.seconds,
            purchases.ok(step, ok),
            purchases.latencies.get(step, []),
        )
        for step, ok in (("hold", 201), ("order", 201), ("intent", 201), ("webhook", 200))
    ]
    rows = [
        ("bare POST (reference)", bare_rate, bare.ok("bare", 201), bare.latencies["bare"]),
        ("holds alone (reference)", hold_rate, holds.ok("hold", 201), holds.latencies["hold"]),
        (
            "orders: hold",
            orders.ok("hold", 201) / orders.seconds,
            orders.ok("hold", 201),
            orders.latencies.get("hold", []),
        ),
        ("orders: order", order_rate, orders.ok("order", 201), orders.latencies.get("order", [])),
        *purchase_rows,
        (
            "webhook ingestion alone",
            ingest_rate,
            len(ingestion.delivered),
            ingestion.latencies.get("webhook", []),
        ),
    ]
    print(table(rows))
    print(
        f"\nstatuses: orders {orders.statuses}; purchase {purchases.statuses};"
        f" ingestion {ingestion.statuses}"
        f"\norders created / holds alone = {order_rate / hold_rate:.2f} (target 0.5);"
        f" paid orders/s {paid_rate:.0f}"
        f"\nwebhook deliveries / bare = {ingest_rate / bare_rate:.2f} (target 0.3)"
        f"\noutbox lag p50/p99/max: during purchases"
        f" {percentile(purchase_lag, 0.5):.2f}/{percentile(purchase_lag, 0.99):.2f}/"
        f"{max(purchase_lag, default=0):.2f} s; during ingestion"
        f" {percentile(ingestion_lag, 0.5):.2f}/{percentile(ingestion_lag, 0.99):.2f}/"
        f"{max(ingestion_lag, default=0):.2f} s (target p99 < 1 s); drained {drain_seconds:.1f} s"
        " after the last delivery"
    )
    print("audit: " + "; ".join(f"{name}: {count}" for name, count in findings.items()))
    return 1 if any(findings.values()) else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--seats", type=int, default=60_000)
    parser.add_argument("--workers", type=int, default=2, help="API (and bare app) processes")
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL pool size per process")
    parser.add_argument(
        "--setting", action="append", default=[], help="NAME=VALUE, an LML_ setting to add"
    )
    return parse_and_run(parser, run)


if __name__ == "__main__":
    sys.exit(main())
