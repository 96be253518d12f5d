"""The on-sale rehearsal: many buyers at once on one event, the whole sale path, faults
injected meanwhile, and an audit of what was sold.

Makes a fresh database (migrated) and Redis key prefix with one event of ``--seats``
seats (best first) and ``--ga-zones`` GA zones of ``--ga-capacity`` places, starts
``lml api`` (``--workers`` processes) and ``lml worker`` as production runs them, with
the fake payment gateway and a webhook secret, short hold and order lifetimes
(``--hold-ttl``, ``--order-ttl``) so that abandoned holds and orders expire within the
run. Then ``--buyers`` buyers, each on one keep-alive connection, until ``--seconds``
have passed or ``--attempts`` holds were tried:

- watch: every buyer reads the availability snapshot with ``If-None-Match`` now and then
  (``--snapshot-every``), ``--watchers`` of them keep the availability stream open
  (resuming with ``Last-Event-ID``); what they see is the seat view the buyers pick from,
  the best seats shown available first, so they contend for the same seats;
- hold 1 to 4 seats, and GA places in some holds (``POST /v1/holds``);
- abandon at realistic rates: some holds are released, some lapse, some orders are never
  paid and expire;
- order (``POST /v1/orders``), create the payment intent, and pay by Stripe's signed
  webhook deliveries (``POST /v1/webhooks/stripe``): some payments fail first, some are
  processing first, some succeeded events are delivered twice, some processing events
  arrive after their success (out of order), and some payments succeed late, after their
  order expired.

Every request carries an ``Idempotency-Key``; a 503 (or a dropped connection, or a 202
"in progress") is retried with the same key, as a careful client does, and a webhook
delivery is retried with the same event, as Stripe does. ``--faults`` injects, one every
``--fault-every`` seconds in turn: ``redis-stall`` (its own ``redis-server`` frozen with
SIGSTOP for ``--stall`` seconds), ``pg-restart`` (its own embedded PostgreSQL stopped
and started again on its port), ``worker-kill`` (SIGKILL to the worker, then a new one).

Then it waits for the sale to go quiet (every hold and pending order ended, the outbox
drained), reads the snapshot and audits PostgreSQL and Redis (``lml_testing.sale_audit``):
every sold seat belongs to exactly one paid order, no seat is both held and sold, GA sold
never above capacity, every webhook event applied exactly once, every late payment
flagged for refund, the snapshot's counts equal the stores'. Any finding, and any answer
500, makes the exit code 1.

    uv run python bench/onsale.py [--buyers 500] [--seats 20000] [--seconds 60]
                                  [--faults redis-stall,pg-restart,worker-kill]
    uv run python bench/onsale.py --long       # a million hold attempts, every fault
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec
import psycopg
from holds import (
    Connection,
    api_environment,
    bench_database,
    epoch,
    parse_and_run,
    percentile,
    seed_event,
    server_process,
)
from sale_faults import NAMES, Faults, Injected, Restartable, chosen, inject_every

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import embedded_postgres, free_port, secantus_server
from lml_payments.fakes import signed_event
from lml_testing.redis_process import RedisProcess
from lml_testing.sale_audit import SaleAudit, audit_sale
from lml_testing.sse import messages, unbatched

SCOPES = ["inventory.holds:write", "inventory.read", "orders.write", "orders.read"]
WEBHOOK_SECRET = "whsec_onsale_" + "x" * 24
BUYER = {"email": "buyer@example.com", "name": "Rehearsal Buyer"}
RETRY_SECONDS = 60.0  # how long a buyer keeps retrying one request through a fault
REQUEST_TIMEOUT = 30.0
# Below the API's keep-alive timeout (uvicorn's 5 s), after which it closes idle connections.
IDLE_SECONDS = 4.0
QUIET_SECONDS = 120.0  # after the holds' and orders' lifetimes, for the sale to settle
STEPS = ("snapshot", "hold", "release", "order", "intent", "webhook", "order status")


@dataclass(frozen=True)
class Rates:
    """How buyers behave: each a fraction of the holds, orders or payments concerned."""

    ga: float = 0.3  # holds with GA places besides seats
    release: float = 0.1  # holds released (DELETE) instead of ordered
    lapse: float = 0.2  # holds left to expire
    abandon: float = 0.2  # orders never paid: they expire
    fail_first: float = 0.1  # payments declined once, then paid
    processing_first: float = 0.2  # payments processing, then succeeded
    duplicate: float = 0.2  # succeeded events delivered twice
    out_of_order: float = 0.15  # a processing event arriving after the success
    late: float = 0.05  # payments succeeding after the order expired


@dataclass
class Sale:
    """What the buyers saw."""

    args: argparse.Namespace
    started: float = field(default_factory=time.monotonic)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    attempts: int = 0  # hold attempts, retries not counted
    payments: int = 0  # successful payments delivered in time, duplicates not counted
    gave_up: Counter[str] = field(default_factory=Counter)
    delivered: set[str] = field(default_factory=set)  # Stripe event ids answered 200
    late_orders: set[str] = field(default_factory=set)
    stream_events: int = 0
    stream_reconnects: int = 0
    faults: list[Injected] = field(default_factory=list)
    seconds: float = 0.0
    over: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def fault_names(self) -> list[str]:
        return chosen(self.args.faults)

    def done(self) -> bool:
        """Whether buyers start no new round; once it is, no new fault either. Not before
        every fault asked for has been injected once, however slow the machine."""
        if self.args.attempts:
            over = self.attempts >= self.args.attempts
        else:
            over = time.monotonic() - self.started >= self.args.seconds
        over = over and len({fault.name for fault in self.faults}) >= len(self.fault_names)
        if over:
            self.over.set()
        return over

    def record(self, step: str, started: float, status: int) -> None:
        self.latencies.setdefault(step, []).append((time.perf_counter() - started) * 1000)
        self.statuses.setdefault(step, Counter())[status] += 1

    def ok(self, step: str, status: int) -> int:
        return self.statuses.get(step, Counter())[status]


class SeatView:
    """The seats the buyers' apps show available, from snapshots and the stream; buyers
    pick the best ones shown (the front of the list) most often, as at a real on-sale."""

    def __init__(self, seats: list[str]) -> None:
        self._seats = seats
        self._index = {seat: n for n, seat in enumerate(seats)}
        self._free = [True] * len(seats)

    def pick(self, draw: random.Random, count: int) -> list[str]:
        total = len(self._seats)
        start = min(total - 1, int(draw.expovariate(5 / total)))
        chosen: list[str] = []
        for n in range(start, min(total, start + 2000)):
            if self._free[n]:
                chosen.append(self._seats[n])
                if len(chosen) == count:
                    break
            elif chosen:
                break  # adjacent seats only
        return chosen or draw.sample(self._seats, count)

    def mark(self, seats: list[str], free: bool) -> None:
        for seat in seats:
            if (n := self._index.get(seat)) is not None:
                self._free[n] = free

    def load(self, snapshot_seats: list[dict[str, str]]) -> None:
        for seat in snapshot_seats:
            self.mark([seat["id"]], seat["status"] == "available")


class Buyer:
    def __init__(
        self,
        port: int,
        authorization: str,
        sale: Sale,
        view: SeatView,
        event: dict[str, Any],
        late: list[asyncio.Task[None]],
    ) -> None:
        self.port, self.authorization = port, authorization
        self.connection = Connection(port, authorization)
        self.sale, self.view, self.event, self.late = sale, view, event, late
        self.rates: Rates = sale.args.rates
        self.draw = random.Random()
        self.etag: str | None = None
        self.used = time.monotonic()
        self.broken = True  # no connection yet
        self.next_snapshot = time.monotonic() + self.draw.uniform(0, sale.args.snapshot_every)

    async def request(
        self, step: str, method: str, path: str, body: object = None, extra: str = ""
    ) -> tuple[int, Any]:
        """The answer, after retrying 503s, 202s (still in progress) and dropped
        connections with the same Idempotency-Key for up to RETRY_SECONDS."""
        payload = b"" if body is None else msgspec.json.encode(body)
        if method != "GET":
            extra += f"Idempotency-Key: {uuid.uuid4().hex}\r\n"
        give_up = time.monotonic() + RETRY_SECONDS
        for attempt in itertools.count():
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    status, answer = await self.send(method, path, payload, extra)
            except (OSError, EOFError, TimeoutError, IndexError, ValueError):
                status, answer = 0, b""
            self.sale.record(step, started, status)
            if status not in (0, 202, 503):
                return status, msgspec.json.decode(answer) if answer else None
            if time.monotonic() > give_up:
                self.sale.gave_up[step] += 1
                return status, None
            await self.back_off(attempt)
        raise AssertionError("unreachable")

    async def back_off(self, attempt: int) -> None:
        """Retry-After (1 s by default), doubling from the third retry up to 8 s, with
        jitter: a crowd retrying in step would keep an overloaded server overloaded."""
        after = float(self.connection.headers.get("retry-after", 1))
        await asyncio.sleep(min(8.0, after * 2 ** max(0, attempt - 1)) * self.draw.uniform(0.5, 1))

    async def send(self, method: str, path: str, payload: bytes, extra: str) -> tuple[int, bytes]:
        """One request; on a new connection after a failed one, or after an idle spell the
        server would have ended it in (a browser reconnects too)."""
        if self.broken or time.monotonic() - self.used > IDLE_SECONDS:
            await self.connection.close()
            self.connection = Connection(self.port, self.authorization)
            self.broken = True
            await self.connection.open()
            self.broken = False
        try:
            return await self.connection.send(method, path, payload, extra)
        except BaseException:
            self.broken = True
            raise
        finally:
            self.used = time.monotonic()

    async def shop(self) -> None:
        try:
            while not self.sale.done():
                await self.watch()
                hold = await self.hold()
                if hold is None:
                    continue
                fate = self.draw.random()
                if fate < self.rates.release:
                    await self.request(
                        "release",
                        "DELETE",
                        f"/v1/holds/{hold['id']}",
                        extra=f'If-Match: "{hold["hold_token"]}"\r\n',
                    )
                    continue
                if fate < self.rates.release + self.rates.lapse:
                    continue
                await self.buy(hold)
        finally:
            await self.connection.close()

    async def watch(self) -> None:
        if time.monotonic() < self.next_snapshot:
            return
        self.next_snapshot = time.monotonic() + self.sale.args.snapshot_every
        extra = f"If-None-Match: {self.etag}\r\n" if self.etag else ""
        path = f"/v1/events/{self.event['id']}/availability"
        status, snapshot = await self.request("snapshot", "GET", path, extra=extra)
        if status == 200:
            self.etag = self.connection.headers.get("etag")
            self.view.load(snapshot["seats"])

    async def hold(self) -> Any:
        seats = self.view.pick(self.draw, self.draw.randint(1, 4))
        body: dict[str, Any] = {
            "event_id": self.event["id"],
            "seat_ids": seats,
            "ttl_seconds": self.sale.args.hold_ttl,
        }
        if self.event["zones"] and self.draw.random() < self.rates.ga:
            zone = self.draw.choice(self.event["zones"])
            body["ga"] = [{"zone_id": zone, "quantity": self.draw.randint(1, 2)}]
        self.sale.attempts += 1
        status, answer = await self.request("hold", "POST", "/v1/holds", body)
        if status == 409 and answer:
            self.view.mark(answer.get("conflicting_seats", []), free=False)
        if status != 201:
            return None
        self.view.mark(seats, free=False)
        return answer

    async def buy(self, hold: dict[str, Any]) -> None:
        body = {"hold_id": hold["id"], "hold_token": hold["hold_token"], "buyer": BUYER}
        status, order = await self.request("order", "POST", "/v1/orders", body)
        if status != 201 or self.draw.random() < self.rates.abandon:
            return
        path = f"/v1/orders/{order['id']}/payment-intent"
        status, intent = await self.request("intent", "POST", path)
        if status not in (200, 201):
            return
        if self.draw.random() < self.rates.late:
            self.late.append(asyncio.create_task(self.pay_late(order, intent)))
        else:
            await self.pay(order, intent)

    async def pay(self, order: dict[str, Any], intent: dict[str, Any]) -> None:
        if self.draw.random() < self.rates.fail_first:
            await self.deliver(self.signed("payment_intent.payment_failed", order, intent))
        if self.draw.random() < self.rates.processing_first:
            await self.deliver(self.signed("payment_intent.processing", order, intent))
        succeeded = self.signed("payment_intent.succeeded", order, intent)
        if await self.deliver(succeeded):
            self.sale.payments += 1
        if self.draw.random() < self.rates.duplicate:
            await self.deliver(succeeded)
        if self.draw.random() < self.rates.out_of_order:
            earlier = int(time.time()) - 30
            await self.deliver(self.signed("payment_intent.processing", order, intent, earlier))

    async def pay_late(self, order: dict[str, Any], intent: dict[str, Any]) -> None:
        """Wait until the order has expired, then pay it: the payment must be flagged."""
        await asyncio.sleep(max(0.0, epoch(order["expires_at"]) - time.time()))
        late = Buyer(self.port, self.authorization, self.sale, self.view, self.event, [])
        try:
            give_up = time.monotonic() + QUIET_SECONDS
            while time.monotonic() < give_up:
                path = f"/v1/orders/{order['id']}"
                status, seen = await late.request("order status", "GET", path)
                if status == 200 and seen["status"] != "pending":
                    break
                await asyncio.sleep(0.5)
            else:
                return  # still pending: the audit's quiet wait reports it
            if await late.deliver(late.signed("payment_intent.succeeded", order, intent)):
                self.sale.late_orders.add(order["id"])
        finally:
            await late.connection.close()

    def signed(
        self, kind: str, order: dict[str, Any], intent: dict[str, Any], at: int | None = None
    ) -> tuple[str, bytes, str]:
        event_id = f"evt_onsale_{uuid.uuid4().hex}"
        payload, signature = signed_event(
            WEBHOOK_SECRET,
            kind,
            intent_id=intent["payment_intent_id"],
            org_id=self.event["org_id"],
            order_id=order["id"],
            amount=order["total"],
            currency="EUR",
            event_id=event_id,
            at=at,
        )
        return event_id, payload, signature

    async def deliver(self, event: tuple[str, bytes, str]) -> bool:
        """Stripe's delivery of one event, retried (the same event) until answered 200."""
        event_id, payload, signature = event
        give_up = time.monotonic() + RETRY_SECONDS
        for attempt in itertools.count():
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    status, _ = await self.send(
                        "POST",
                        "/v1/webhooks/stripe",
                        payload,
                        extra=f"Stripe-Signature: {signature}\r\n",
                    )
            except (OSError, EOFError, TimeoutError, IndexError, ValueError):
                status = 0
            self.sale.record("webhook", started, status)
            if status == 200:
                self.sale.delivered.add(event_id)
                return True
            if status not in (0, 429, 503) or time.monotonic() > give_up:
                self.sale.gave_up["webhook"] += status in (0, 429, 503)
                return False
            await self.back_off(attempt)
        raise AssertionError("unreachable")


async def watch_stream(
    base_url: str, token: str, event_id: str, sale: Sale, view: SeatView
) -> None:
    """One buyer's app on the availability stream, resuming where it left off."""
    last_id: str | None = None
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(10.0)) as client:
        while True:
            resume = {"Last-Event-ID": last_id} if last_id else {}
            try:
                async with client.stream(
                    "GET", f"/v1/events/{event_id}/availability/stream", headers=headers | resume
                ) as response:
                    async for message in messages(response):
                        for event in unbatched(message):
                            last_id = event.id or last_id
                            seen(event.event, event.data, view)
                            sale.stream_events += event.event is not None
            except (httpx.HTTPError, OSError):
                pass
            sale.stream_reconnects += 1
            await asyncio.sleep(0.5)


def seen(kind: str | None, data: str | None, view: SeatView) -> None:
    if kind is None or data is None or kind == "zone.updated":
        return
    seats = msgspec.json.decode(data).get("seat_ids", [])
    if kind == "seat.held" or kind == "seat.sold":
        view.mark(seats, free=False)
    elif kind == "seat.released":
        view.mark(seats, free=True)


async def rehearse(
    args: argparse.Namespace,
    api_port: int,
    token: str,
    event: dict[str, Any],
    seats: list[str],
    faults: Faults,
) -> Sale:
    sale = Sale(args)
    view = SeatView(seats)
    authorization = f"Authorization: Bearer {token}\r\n"
    late: list[asyncio.Task[None]] = []
    buyers = [Buyer(api_port, authorization, sale, view, event, late) for _ in range(args.buyers)]
    base_url = f"http://127.0.0.1:{api_port}"
    watchers = [
        asyncio.create_task(watch_stream(base_url, token, event["id"], sale, view))
        for _ in range(args.watchers)
    ]
    stop = sale.over
    names = sale.fault_names
    injector = asyncio.create_task(
        inject_every(faults, names, args.fault_every, stop, sale.started, sale.faults)
        if names
        else stop.wait()
    )
    try:
        await asyncio.gather(*(buyer.shop() for buyer in buyers))
        sale.seconds = time.monotonic() - sale.started
    finally:
        stop.set()
        await injector
        await asyncio.gather(*late)
        for watcher in watchers:
            watcher.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
    return sale


async def quiet(admin_url: str, seconds: float) -> dict[str, int]:
    """Wait until every hold and pending order has ended and the outbox is drained; what
    is left when ``seconds`` run out."""
    left: dict[str, int] = {}
    give_up = time.monotonic() + seconds
    async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as owner:
        while time.monotonic() < give_up:
            cursor = await owner.execute(
                "select (select count(*) from lml.holds where status = 'active'),"
                " (select count(*) from lml.orders where status = 'pending'),"
                " (select count(*) from lml.outbox where processed_at is null and dead_at is null)"
            )
            row = await cursor.fetchone()
            assert row is not None
            left = {
                "holds never ended": row[0],
                "orders never ended": row[1],
                "outbox rows never done": row[2],
            }
            if not any(left.values()):
                break
            await asyncio.sleep(0.5)
    return left


async def final_counts(api_port: int, token: str, event_id: str) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api_port}") as client:
        response = await client.get(
            f"/v1/events/{event_id}/availability", headers={"Authorization": f"Bearer {token}"}
        )
        response.raise_for_status()
        counts: dict[str, int] = response.json()["counts"]
        return counts


def report(
    args: argparse.Namespace,
    sale: Sale,
    audit: SaleAudit,
    findings: dict[str, int],
    phases: dict[str, float],
) -> dict[str, Any]:
    seconds = sale.seconds or 1.0
    rates = {
        "hold attempts/s": sale.attempts / seconds,
        "holds/s": sale.ok("hold", 201) / seconds,
        "orders/s": sale.ok("order", 201) / seconds,
        "payments/s": sale.payments / seconds,
    }
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs"
        f" (shared), Python {platform.python_version()}; {args.buyers} buyers"
        f" ({args.watchers} on the stream), {args.seats} seats + {args.ga_zones} GA zones"
        f" of {args.ga_capacity}, {args.workers} API processes and one worker; holds of"
        f" {args.hold_ttl} s, orders of {args.order_ttl} s; {sale.seconds:.1f} s,"
        f" {sale.attempts} hold attempts; faults: {args.faults or 'none'}\n"
    )
    print("| step | per s | answers | p50 ms | p95 ms | p99 ms | statuses |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for step in STEPS:
        latencies = sale.latencies.get(step, [])
        quantiles = " | ".join(f"{percentile(latencies, q):.1f}" for q in (0.5, 0.95, 0.99))
        statuses = dict(sorted(sale.statuses.get(step, Counter()).items()))
        print(
            f"| {step} | {len(latencies) / seconds:.0f} | {len(latencies)} | {quantiles}"
            f" | {statuses or '-'} |"
        )
    print("\n" + ", ".join(f"{name} {rate:.1f}" for name, rate in rates.items()))
    print(
        f"stream: {sale.stream_events} events to {args.watchers} watchers,"
        f" {sale.stream_reconnects} reconnects; given up after {RETRY_SECONDS:.0f} s of"
        f" retries: {dict(sale.gave_up) or 'none'}"
    )
    print("phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))
    injected = [f"{f.name} at {f.at:.0f} s ({f.seconds:.1f} s)" for f in sale.faults]
    print(f"faults injected: {', '.join(injected) or 'none'}")
    print(f"audit: {audit.summary()}")
    bench = {name: count for name, count in findings.items() if name not in audit.findings}
    print("rehearsal: " + "; ".join(f"{name}: {count}" for name, count in bench.items()))
    return {
        "seconds": sale.seconds,
        "phases": phases,
        "attempts": sale.attempts,
        "rates": rates,
        "statuses": {step: dict(counts) for step, counts in sale.statuses.items()},
        "faults": [f.name for f in sale.faults],
        "stream_events": sale.stream_events,
        "paid_orders": audit.paid_orders,
        "late_payments_flagged": audit.late_payments_flagged,
        "late_payments_sent": len(sale.late_orders),
        "findings": findings,
    }


async def run(args: argparse.Namespace) -> int:
    args.rates = Rates(late=args.late)
    if args.long:
        args.attempts = args.attempts or 1_000_000
        args.faults = args.faults or ",".join(NAMES)
    names = chosen(args.faults)
    unknown = set(names) - set(NAMES)
    if unknown:
        raise SystemExit(f"unknown faults {sorted(unknown)}; known: {', '.join(NAMES)}")
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lml-onsale-")))
        own_redis = None
        if "redis-stall" in names:
            own_redis = RedisProcess(scratch)
            own_redis.start()
            stack.callback(own_redis.close)
            args.redis = own_redis.url
        postgres = None
        if "pg-restart" in names:
            port = free_port()
            postgres = Restartable(lambda: embedded_postgres(scratch / "postgres", port=port))
            args.postgres = postgres.start()
            stack.callback(postgres.stop)
        mongo_url = stack.enter_context(secantus_server(None))
        async with bench_database(args) as (database, prefix):
            zones = {f"ga-{n + 1}": args.ga_capacity for n in range(args.ga_zones)}
            org_id, event_id, seats = await seed_event(database.admin_url, args.seats, zones=zones)
            event = {"id": event_id, "org_id": org_id, "zones": list(zones)}
            # Valid for the whole run: a long run outlives the default 15 minutes, and its
            # buyers would then be refused (401, then 429 for the address) to the end.
            lasting = load_settings({"LML_ACCESS_TOKEN_TTL_SECONDS": "86400"})
            token = build_tokens(lasting).issuer.issue("usr_onsale", org_id, SCOPES)
            api_port, worker_port = free_port(), free_port()
            env = api_environment(
                args,
                database,
                prefix,
                mongo_url,
                api_port,
                db_pool_max_size=str(args.pool),
                api_workers=str(args.workers),
                hold_min_ttl_seconds="1",
                order_ttl_seconds=str(args.order_ttl),
                order_expiry_interval_seconds="1",
                availability_heartbeat_seconds="2",
                # A killed worker's claimed rows come back after this, not after a minute.
                outbox_lease_seconds="5",
                stripe_webhook_secret=WEBHOOK_SECRET,
                worker_port=str(worker_port),
            )
            began = time.monotonic()
            with ExitStack() as servers:
                servers.enter_context(
                    server_process([sys.executable, "-m", "lml_cli", "api"], api_port, env)
                )
                worker = Restartable(
                    lambda: server_process(
                        [sys.executable, "-m", "lml_cli", "worker"], worker_port, env
                    )
                )
                worker.start()
                servers.callback(worker.stop)
                faults = Faults(
                    redis=own_redis, postgres=postgres, worker=worker, stall_seconds=args.stall
                )
                phases = {"servers up": time.monotonic() - began}
                sale = await rehearse(args, api_port, token.access_token, event, seats, faults)
                phases["buying, late payments"] = time.monotonic() - began - sum(phases.values())
                left = await quiet(
                    database.admin_url, args.hold_ttl + args.order_ttl + QUIET_SECONDS
                )
                phases["settling"] = time.monotonic() - began - sum(phases.values())
                counts = await final_counts(api_port, token.access_token, event_id)
            audit = await audit_sale(
                database.admin_url,
                args.redis,
                prefix,
                event_id,
                delivered_event_ids=sale.delivered,
                late_order_ids=sale.late_orders,
                snapshot_counts=counts,
            )
    errors = sum(n for counts in sale.statuses.values() for s, n in counts.items() if s >= 500)
    findings = {
        **audit.findings,
        **left,
        "answers 5xx other than 503": errors - sum(c[503] for c in sale.statuses.values()),
    }
    summary = report(args, sale, audit, findings, phases)
    if args.json:
        await asyncio.to_thread(Path(args.json).write_text, json.dumps(summary, indent=2))
    return 1 if any(findings.values()) else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--buyers", type=int, default=500)
    parser.add_argument("--watchers", type=int, default=50, help="buyers on the stream")
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--ga-zones", type=int, default=2)
    parser.add_argument("--ga-capacity", type=int, default=2_000, help="places per GA zone")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long buyers buy")
    parser.add_argument("--attempts", type=int, default=0, help="stop after this many holds")
    parser.add_argument("--hold-ttl", type=int, default=5, help="hold ttl_seconds")
    parser.add_argument("--order-ttl", type=int, default=10, help="LML_ORDER_TTL_SECONDS")
    parser.add_argument(
        "--snapshot-every", type=float, default=60.0, help="seconds between a buyer's reads"
    )
    parser.add_argument(
        "--late", type=float, default=Rates.late, help="share of payments made after expiry"
    )
    parser.add_argument("--faults", default="", help=f"comma-separated: {', '.join(NAMES)}")
    parser.add_argument("--fault-every", type=float, default=15.0, help="seconds between faults")
    parser.add_argument("--stall", type=float, default=3.0, help="seconds Redis stays frozen")
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL pool size per process")
    parser.add_argument(
        "--long",
        action="store_true",
        help="a million hold attempts with every fault: --attempts 1000000 --faults all",
    )
    parser.add_argument("--json", help="also write the figures and findings to this file")
    return parse_and_run(parser, run)


if __name__ == "__main__":
    sys.exit(main())
