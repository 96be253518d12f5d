"""LML on a three-master Redis Cluster, unchanged but for ``LML_REDIS_CLUSTER=true``, served
by two API instances (requests alternate between them): holds, extensions, releases and
expiry, the availability stream and its resumption, idempotency, rate limits and a paid
order, on events whose slots live on different masters; and a hold storm that goes on
while an event's slot moves from one master to another.

The cluster is started once for the module from Debian's ``redis-server`` on ports of its
own (``lml_testing.redis_cluster``); each test has its own key prefix and database.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis
from msgspec.structs import replace

from lml_api.app import create_app
from lml_api.container import open_postgres, open_redis
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_payments.fakes import FakeGateway, signed_event
from lml_seating.infrastructure.adapters import redis_seating
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.redis_cluster import RedisClusterProcesses, redis_cli_binary, redis_cluster
from lml_testing.redis_process import redis_server_binary
from lml_testing.seed import seed_event
from lml_testing.served import over_http
from lml_testing.sse import messages, next_events
from lml_worker import run_once
from lml_worker.hold_sweeper import redis_hold_sweeper
from lml_worker.outbox_job import postgres_outbox_processor

pytestmark = [
    pytest.mark.integration,
    pytest.mark.cluster,
    pytest.mark.skipif(
        redis_server_binary() is None or redis_cli_binary() is None,
        reason="needs Debian's redis-server and redis-cli",
    ),
]

SCOPES = ["inventory.holds:write", "inventory.read", "orders.write", "orders.read"]
SEATS = [f"S-{n:02d}" for n in range(40)]
PRICE = 4500


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisClusterProcesses]:
    with redis_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings],
    private_database: TemporaryDatabase,
    mongo_url: str,
    cluster: RedisClusterProcesses,
) -> Settings:
    return make_settings(
        database_url=private_database.admin_url,
        mongo_url=mongo_url,
        redis_url=cluster.url,
        redis_cluster=True,
        redis_key_prefix=f"lml-test-{uuid.uuid4().hex[:12]}",
        rate_limit_budgets="*=100000/60s",
        hold_min_ttl_seconds=1,
    )


def node_of(cluster: RedisClusterProcesses, event_id: str) -> int:
    """The port of the master that serves the event's hash tag."""
    client = redis.RedisCluster.from_url(cluster.url)
    try:
        node = client.get_node_from_key(f"{{{event_id}}}")
        assert node is not None
        return int(node.port)
    finally:
        client.close()


def events_on_every_master(cluster: RedisClusterProcesses) -> list[str]:
    """One event id per master: the test then spans all three."""
    found: dict[int, str] = {}
    while len(found) < len(cluster.nodes):
        event_id = f"evt_{uuid.uuid4().hex[:12]}"
        found.setdefault(node_of(cluster, event_id), event_id)
    return list(found.values())


@dataclass
class Sale:
    """Two API instances on the cluster: ``client`` and ``other``; holds alternate."""

    settings: Settings
    client: httpx.AsyncClient
    other: httpx.AsyncClient
    headers: dict[str, str]
    tenant: str
    events: list[str]
    admin_url: str
    holds_sent: int = 0

    async def hold(self, event_id: str, seats: list[str], **extra: Any) -> httpx.Response:
        body = {"event_id": event_id, "seat_ids": seats, **extra}
        self.holds_sent += 1
        instance = self.other if self.holds_sent % 2 else self.client
        return await instance.post("/v1/holds", json=body, headers=self.headers)

    async def statuses(self, event_id: str) -> dict[str, str]:
        read = await self.client.get(f"/v1/events/{event_id}/availability", headers=self.headers)
        assert read.status_code == 200, read.text
        return {seat["id"]: seat["status"] for seat in read.json()["seats"]}


@asynccontextmanager
async def opened_sale(
    settings: Settings, database: TemporaryDatabase, events: list[str]
) -> AsyncIterator[Sale]:
    tenant = f"org_{uuid.uuid4().hex[:12]}"
    for event_id in events:
        await seed_event(
            database.admin_url, tenant, event_id, SEATS, {"GA": 10}, prices={"standard": PRICE}
        )
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    async with (
        over_http(create_app(settings=settings)) as base_url,
        over_http(create_app(settings=settings)) as other_url,
        httpx.AsyncClient(base_url=base_url, timeout=10) as client,
        httpx.AsyncClient(base_url=other_url, timeout=10) as other,
    ):
        yield Sale(
            settings,
            client,
            other,
            {"Authorization": f"Bearer {issued.access_token}"},
            tenant,
            events,
            database.admin_url,
        )


@asynccontextmanager
async def worker_job(settings: Settings, build: Callable[..., Any]) -> AsyncIterator[Any]:
    """A worker job on its own connections, as the worker process builds them."""
    async with AsyncExitStack() as resources:
        pool = await open_postgres(settings, resources)
        client = await open_redis(settings, resources)
        yield build(pool, redis_seating(pool, client, settings))


async def test_given_events_on_every_master_then_holds_extend_release_and_expire(
    settings: Settings, private_database: TemporaryDatabase, cluster: RedisClusterProcesses
) -> None:
    events = events_on_every_master(cluster)
    async with opened_sale(settings, private_database, events) as sale:
        for event_id in events:
            kept = await sale.hold(
                event_id, ["S-01", "S-02"], ga=[{"zone_id": "GA", "quantity": 3}]
            )
            assert kept.status_code == 201, kept.text
            token = {"If-Match": f'"{kept.json()["hold_token"]}"'}
            extended = await sale.other.patch(
                f"/v1/holds/{kept.json()['id']}",
                json={"ttl_seconds": 120},
                headers={**sale.headers, **token},
            )
            assert extended.status_code == 200, extended.text
            assert (await sale.hold(event_id, ["S-02"])).status_code == 409

            released = await sale.hold(event_id, ["S-03"])
            assert released.status_code == 201
            freed = await sale.other.delete(
                f"/v1/holds/{released.json()['id']}",
                headers={**sale.headers, "If-Match": f'"{released.json()["hold_token"]}"'},
            )
            assert freed.status_code == 204
            lapsing = await sale.hold(event_id, ["S-04"], ttl_seconds=1)
            assert lapsing.status_code == 201

        await asyncio.sleep(1.5)
        async with worker_job(
            settings, lambda pool, seating: redis_hold_sweeper(settings, seating)
        ) as sweeper:
            assert await run_once(sweeper)

        for event_id in events:
            seen = await sale.statuses(event_id)
            assert (seen["S-01"], seen["S-02"], seen["S-03"], seen["S-04"]) == (
                "held",
                "held",
                "available",
                "available",
            )
            assert (await sale.hold(event_id, ["S-03", "S-04"])).status_code == 201


async def test_given_a_cluster_then_the_stream_resumes_with_exactly_the_missed_events(
    settings: Settings, private_database: TemporaryDatabase, cluster: RedisClusterProcesses
) -> None:
    events = events_on_every_master(cluster)
    async with opened_sale(settings, private_database, events) as sale:
        for event_id in events:
            url = f"/v1/events/{event_id}/availability"
            first = await sale.hold(event_id, ["S-01"])
            assert first.status_code == 201
            before = (await sale.client.get(url, headers=sale.headers)).headers[
                "Availability-Stream-Id"
            ]
            missed = [await sale.hold(event_id, [seat]) for seat in ("S-02", "S-03")]
            assert [m.status_code for m in missed] == [201, 201]

            async with sale.other.stream(
                "GET", f"{url}/stream", headers={**sale.headers, "Last-Event-ID": before}
            ) as response:
                assert response.status_code == 200
                replayed = await next_events(messages(response), 2)
            assert [m.event for m in replayed] == ["seat.held", "seat.held"]
            assert [m.json()["seat_ids"] for m in replayed] == [["S-02"], ["S-03"]]  # type: ignore[index]
            assert all(m.id is not None and m.id > before for m in replayed)


async def test_given_a_cluster_then_a_retried_request_is_replayed_and_budgets_are_kept(
    settings: Settings, private_database: TemporaryDatabase
) -> None:
    events = [f"evt_{uuid.uuid4().hex[:12]}"]
    limited = replace(settings, rate_limit_budgets="*=5/60s")
    async with opened_sale(limited, private_database, events) as sale:
        key = {"Idempotency-Key": f"k-{uuid.uuid4().hex}"}
        body = {"event_id": events[0], "seat_ids": ["S-01"]}
        first = await sale.client.post("/v1/holds", json=body, headers={**sale.headers, **key})
        again = await sale.other.post("/v1/holds", json=body, headers={**sale.headers, **key})
        assert first.status_code == again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"

        statuses = [(await sale.hold(events[0], [f"S-{n:02d}"])).status_code for n in (5, 6, 7, 8)]
        assert statuses[-1] == 429, statuses
        assert statuses.count(201) == 3


async def test_given_a_cluster_and_two_workers_then_an_order_is_paid_once_and_its_seats_sold(
    settings: Settings, private_database: TemporaryDatabase, cluster: RedisClusterProcesses
) -> None:
    events = events_on_every_master(cluster)[:1]
    async with opened_sale(settings, private_database, events) as sale:
        hold = await sale.hold(events[0], ["S-01", "S-02"], ga=[{"zone_id": "GA", "quantity": 2}])
        assert hold.status_code == 201
        order = await sale.client.post(
            "/v1/orders",
            json={
                "hold_id": hold.json()["id"],
                "hold_token": hold.json()["hold_token"],
                "buyer": {"email": "ada@example.com", "name": "Ada"},
            },
            headers=sale.headers,
        )
        assert order.status_code == 201, order.text
        order_id = order.json()["id"]
        intent = await sale.client.post(
            f"/v1/orders/{order_id}/payment-intent", headers=sale.headers
        )
        assert intent.status_code == 201
        payload, signature = signed_event(
            settings.stripe_webhook_secret,
            "payment_intent.succeeded",
            intent_id=intent.json()["payment_intent_id"],
            org_id=sale.tenant,
            order_id=order_id,
            amount=order.json()["total"],
            currency="EUR",
            event_id=f"evt_{uuid.uuid4().hex}",
        )
        # Stripe delivers twice, to both instances at once; two workers apply what is due.
        delivered = await asyncio.gather(
            *(
                instance.post(
                    "/v1/webhooks/stripe",
                    content=payload,
                    headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
                )
                for instance in (sale.client, sale.other)
            )
        )
        assert [answer.status_code for answer in delivered] == [200, 200]

        def outbox_of(pool: Any, seating: Any) -> Any:
            return postgres_outbox_processor(settings, pool, seating, FakeGateway())

        async with (
            worker_job(settings, outbox_of) as one,
            worker_job(settings, outbox_of) as other,
        ):
            for _ in range(3):  # a sale's follow-up is due only after its payment's row
                assert all(await asyncio.gather(run_once(one), run_once(other)))

        read = await sale.client.get(f"/v1/orders/{order_id}", headers=sale.headers)
        assert read.json()["status"] == "paid"
        seen = await sale.statuses(events[0])
        assert (seen["S-01"], seen["S-02"], seen["S-03"]) == ("sold", "sold", "available")
        assert (await sale.hold(events[0], ["S-01"])).status_code == 409
        assert await owner_rows(
            sale.admin_url,
            "select held, sold from lml.event_zones where event_id = %s",
            events[0],
        ) == [(0, 2)]
        assert await owner_rows(
            sale.admin_url,
            "select count(*) from lml.order_audit_log where order_id = %s and to_status = 'paid'",
            order_id,
        ) == [(1,)]


@dataclass
class Storm:
    sale: Sale
    event_id: str
    statuses: list[int] = field(default_factory=list)
    held: dict[str, list[str]] = field(default_factory=dict)
    stopped: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def buyer(self, draw: random.Random) -> None:
        while not self.stopped.is_set():
            seats = draw.sample(SEATS, draw.randint(1, 3))
            answer = await self.sale.hold(self.event_id, seats)
            if answer.status_code == 201:
                self.held[answer.json()["id"]] = seats
            async with self.answered:
                self.statuses.append(answer.status_code)
                self.answered.notify_all()
            if answer.status_code == 503:
                await asyncio.sleep(0.05)

    async def until(self, reached: Callable[[], bool]) -> None:
        async with self.answered:
            await self.answered.wait_for(reached)


def move_slot(cluster: RedisClusterProcesses, event_id: str) -> tuple[int, int]:
    """Move the event's slot, keys and all, to another master the way ``redis-cli
    --cluster reshard`` does: IMPORTING and MIGRATING, MIGRATE in batches, then the new
    owner announced to every master. Returns (from port, to port)."""
    source_port = node_of(cluster, event_id)
    target_port = next(n.port for n in cluster.nodes if n.port != source_port)
    source, target = redis.Redis(port=source_port), redis.Redis(port=target_port)
    try:
        slot = source.cluster("keyslot", f"{{{event_id}}}")
        source_id, target_id = source.cluster("myid"), target.cluster("myid")
        target.execute_command("CLUSTER SETSLOT", slot, "IMPORTING", source_id)
        source.execute_command("CLUSTER SETSLOT", slot, "MIGRATING", target_id)
        while keys := source.execute_command("CLUSTER GETKEYSINSLOT", slot, 10):
            source.execute_command("MIGRATE", "127.0.0.1", target_port, "", 0, 5000, "KEYS", *keys)
        for node in cluster.nodes:
            with redis.Redis(port=node.port) as each:
                each.execute_command("CLUSTER SETSLOT", slot, "NODE", target_id)
    finally:
        source.close()
        target.close()
    return source_port, target_port


async def test_given_a_hold_storm_when_its_event_slot_moves_to_another_master_then_nothing_is_lost(
    settings: Settings, private_database: TemporaryDatabase, cluster: RedisClusterProcesses
) -> None:
    events = [f"evt_{uuid.uuid4().hex[:12]}"]
    async with opened_sale(settings, private_database, events) as sale:
        storm = Storm(sale, events[0])
        buyers = [asyncio.create_task(storm.buyer(random.Random(n))) for n in range(8)]
        try:
            await storm.until(lambda: storm.statuses.count(201) >= 5)
            before = len(storm.statuses)
            moved_from, moved_to = await asyncio.to_thread(move_slot, cluster, events[0])
            during = len(storm.statuses)
            await storm.until(lambda: len(storm.statuses) >= during + 50)
        finally:
            storm.stopped.set()
            await asyncio.gather(*buyers)
        seen = await sale.statuses(events[0])

    held = {seat for seats in storm.held.values() for seat in seats}
    assert {seat for seat, status in seen.items() if status == "held"} == held
    assert node_of(cluster, events[0]) == moved_to != moved_from
    assert len(storm.statuses) > before
    assert set(storm.statuses) <= {201, 409, 503}, set(storm.statuses)
    # Every seat is held by at most one hold (they last minutes), and every hold that was
    # granted is in PostgreSQL with exactly its seats.
    seats = list(itertools.chain.from_iterable(storm.held.values()))
    assert len(seats) == len(set(seats))
    rows = await owner_rows(
        private_database.admin_url,
        "select seat_id, hold_id from lml.event_seats where event_id = %s and hold_id is not null",
        events[0],
    )
    assert sorted(rows) == sorted(
        (seat, hold_id) for hold_id, held in storm.held.items() for seat in held
    )
