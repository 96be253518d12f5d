"""Faults injected into real servers while the API serves holds: each dependency's breaker
answers 503 ``dependency-unavailable`` fast, never 500, and service resumes by itself.

Redis is a ``redis-server`` of each test alone (frozen with ``SIGSTOP``, killed, started
again empty); PostgreSQL and MongoDB are reached through a proxy the test freezes, so the
servers other tests use are never disturbed.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
import redis.asyncio
from msgspec.structs import replace
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_testing.databases import TemporaryDatabase
from lml_testing.polling import eventually
from lml_testing.redis_process import RedisProcess, redis_process, redis_server_binary
from lml_testing.seed import seed_event
from lml_testing.served import served
from lml_testing.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(redis_server_binary() is None, reason="needs Debian's redis-server"),
]

SEATS = [f"S-{n:03d}" for n in range(200)]
CLIENTS = 16
# Short, so seats keep coming free and the storm keeps making holds.
HOLD_TTL_SECONDS = 3
# Generous bounds on behaviour, not figures (bench/faults.py measures those): the breaker
# answers within about a second, and service resumes within a second or two.
ANSWER_BOUND_SECONDS = 2.5
RESUME_BOUND_SECONDS = 5.0


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    with redis_process(tmp_path) as server:
        yield server


@pytest.fixture
def tenant() -> str:
    return f"org_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def event_id(migrated_database: TemporaryDatabase, tenant: str) -> str:
    event = f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(migrated_database.admin_url, tenant, event, SEATS, {})
    return event


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, own_redis: RedisProcess
) -> Settings:
    return make_settings(
        mongo_url=mongo_url,
        redis_url=own_redis.url,
        mongo_database=f"lml_test_{uuid.uuid4().hex[:12]}",
        rate_limit_budgets="*=1000000/60s",
        hold_min_ttl_seconds=1,
        stripe_secret_key="sk_test_example",
    )


def bearer(settings: Settings, tenant: str) -> dict[str, str]:
    scopes = ["inventory.holds:write", "inventory.read", "venues.read"]
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, scopes)
    return {"Authorization": f"Bearer {issued.access_token}"}


@dataclass(frozen=True)
class Answer:
    status: int
    sent: float  # monotonic
    seconds: float
    body: dict[str, object]
    retry_after: str | None


@dataclass(frozen=True)
class Grant:
    hold_id: str
    seats: tuple[str, ...]
    granted: float  # wall clock
    expires: float  # wall clock


@dataclass
class Storm:
    """Clients holding random seats until stopped; every answer and grant recorded."""

    client: httpx.AsyncClient
    headers: dict[str, str]
    event_id: str
    answers: list[Answer] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def buyer(self, draw: random.Random) -> None:
        while not self.stopped.is_set():
            seats = draw.sample(SEATS, draw.randint(1, 3))
            body = {"event_id": self.event_id, "seat_ids": seats, "ttl_seconds": HOLD_TTL_SECONDS}
            sent = time.monotonic()
            response = await self.client.post("/v1/holds", json=body, headers=self.headers)
            answer = Answer(
                response.status_code,
                sent,
                time.monotonic() - sent,
                response.json(),
                response.headers.get("retry-after"),
            )
            self.answers.append(answer)
            if answer.status == 201:
                self.grants.append(
                    Grant(
                        str(answer.body["id"]),
                        tuple(seats),
                        time.time(),
                        datetime.fromisoformat(str(answer.body["expires_at"])).timestamp(),
                    )
                )
            elif answer.status == 503:
                await asyncio.sleep(0.05)  # as a client told to retry would, a little sooner

    def succeeded_since(self, moment: float) -> bool:
        return any(a.status == 201 and a.sent >= moment for a in self.answers)

    def sent_between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.sent < end]


@asynccontextmanager
async def storm(
    client: httpx.AsyncClient, headers: dict[str, str], event_id: str
) -> AsyncIterator[Storm]:
    """A hold storm for the block; it has made at least one hold when the block starts."""
    running = Storm(client, headers, event_id)
    buyers = [asyncio.create_task(running.buyer(random.Random(n))) for n in range(CLIENTS)]
    try:
        await eventually(lambda: running.succeeded_since(0), deadline_seconds=10)
        yield running
    finally:
        running.stopped.set()
        await asyncio.gather(*buyers)


def assert_fast_503s_only(answers: list[Answer], dependency: str) -> None:
    """Every answer a hold, a conflict or a prompt 503 naming the dependency; never a 500."""
    assert answers
    assert {a.status for a in answers} <= {201, 409, 503}, {a.status for a in answers}
    unavailable = [a for a in answers if a.status == 503]
    assert unavailable, "no request noticed the fault"
    for answer in unavailable:
        assert answer.body["type"] == "/problems/dependency-unavailable"
        assert answer.body["dependency"] == dependency
        assert int(answer.retry_after or "0") >= 1
    slowest = max(a.seconds for a in answers)
    assert slowest < ANSWER_BOUND_SECONDS, f"an answer took {slowest:.2f} s"


def certain_double_holds(grants: list[Grant]) -> list[str]:
    """Seats two granted holds held at once (from the 201 to the hold's expiry)."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for grant in grants:
        for seat in grant.seats:
            spans.setdefault(seat, []).append((grant.granted, grant.expires))
    return [
        seat
        for seat, held in spans.items()
        for (_, end), (start, _) in itertools.pairwise(sorted(held))
        if start < end
    ]


async def held_in_postgres(admin_url: str, event_id: str) -> dict[str, str]:
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(
            "select seat_id, hold_id from lml.event_seats where event_id = %s"
            " and hold_id is not null and hold_expires_at > now()",
            (event_id,),
        )
        return dict(await cursor.fetchall())


async def held_in_redis(redis_url: str, prefix: str, event_id: str) -> dict[str, str]:
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        values = await client.mget([f"{prefix}:{{{event_id}}}:seat:{seat}" for seat in SEATS])
    finally:
        await client.aclose()
    return {seat: value for seat, value in zip(SEATS, values, strict=True) if value}


async def assert_every_grant_held_in_both(
    grants: list[Grant], settings: Settings, admin_url: str, event_id: str
) -> None:
    """No double hold, and every granted hold with time left holds all its seats in
    PostgreSQL and Redis."""
    assert certain_double_holds(grants) == []
    running = [grant for grant in grants if grant.expires > time.time() + 1]
    assert running
    in_postgres = await held_in_postgres(admin_url, event_id)
    in_redis = await held_in_redis(settings.redis_url or "", settings.redis_key_prefix, event_id)
    for grant in running:
        for seat in grant.seats:
            assert in_postgres.get(seat) == grant.hold_id, (seat, grant.hold_id)
            assert in_redis.get(seat) == grant.hold_id, (seat, grant.hold_id)


async def readiness_of(client: httpx.AsyncClient, dependency: str) -> str:
    body = (await client.get("/readyz")).json()
    return str(body["checks"][dependency]["status"])


async def test_given_redis_frozen_during_a_hold_storm_then_holds_answer_503_fast_and_resume(
    settings: Settings,
    own_redis: RedisProcess,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
) -> None:
    async with (
        served(create_app(settings=settings)) as client,
        storm(client, bearer(settings, tenant), event_id) as holds,
    ):
        frozen = time.monotonic()
        own_redis.freeze()
        await eventually(lambda: len(holds.sent_between(frozen, time.monotonic())) > 4 * CLIENTS)
        assert await readiness_of(client, "redis") == "down"
        thawed = time.monotonic()
        own_redis.thaw()
        await eventually(
            lambda: holds.succeeded_since(thawed), deadline_seconds=RESUME_BOUND_SECONDS
        )
    assert_fast_503s_only(holds.sent_between(frozen, thawed), "redis")
    await assert_every_grant_held_in_both(
        holds.grants, settings, migrated_database.admin_url, event_id
    )


async def test_given_redis_killed_then_holds_answer_503_and_readyz_says_so_until_it_is_back(
    settings: Settings,
    own_redis: RedisProcess,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        kept = await client.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-000"]}, headers=headers
        )
        assert kept.status_code == 201, kept.text
        async with storm(client, headers, event_id) as holds:
            killed = time.monotonic()
            own_redis.kill()
            await eventually(
                lambda: len(holds.sent_between(killed, time.monotonic())) > 4 * CLIENTS
            )
            assert await readiness_of(client, "redis") == "down"
            restarted = time.monotonic()
            own_redis.start()
            await eventually(
                lambda: holds.succeeded_since(restarted), deadline_seconds=RESUME_BOUND_SECONDS
            )
        assert_fast_503s_only(holds.sent_between(killed, restarted), "redis")

        async def ready() -> bool:
            return await readiness_of(client, "redis") == "up"

        await eventually(ready, deadline_seconds=RESUME_BOUND_SECONDS, every_seconds=0.1)
        # Redis came back empty: PostgreSQL's fencing still refuses the seat it forgot.
        again = await client.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-000"]}, headers=headers
        )
        assert again.status_code == 409, again.text
    assert certain_double_holds(holds.grants) == []


def postgres_target(url: str) -> tuple[str, int]:
    params = conninfo_to_dict(url)
    host, port = str(params.get("host", "127.0.0.1")), int(params.get("port", 5432))
    if host.startswith("/"):
        return f"{host}/.s.PGSQL.{port}", 0
    return host, port


@pytest.fixture
def proxied_postgres(settings: Settings) -> Iterator[tuple[Settings, TcpProxy]]:
    url = settings.database_url or ""
    with tcp_proxy(*postgres_target(url)) as proxy:
        through = make_conninfo(url, host="127.0.0.1", port=str(proxy.port))
        yield replace(settings, database_url=through), proxy


async def test_given_postgresql_frozen_during_a_hold_storm_then_holds_answer_503_fast_and_resume(
    proxied_postgres: tuple[Settings, TcpProxy],
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
) -> None:
    settings, proxy = proxied_postgres
    async with (
        served(create_app(settings=settings)) as client,
        storm(client, bearer(settings, tenant), event_id) as holds,
    ):
        frozen = time.monotonic()
        proxy.freeze()
        await eventually(lambda: len(holds.sent_between(frozen, time.monotonic())) > 4 * CLIENTS)
        assert await readiness_of(client, "postgresql") == "down"
        thawed = time.monotonic()
        proxy.thaw()
        await eventually(
            lambda: holds.succeeded_since(thawed), deadline_seconds=RESUME_BOUND_SECONDS
        )
    assert_fast_503s_only(holds.sent_between(frozen, thawed), "postgresql")
    await assert_every_grant_held_in_both(
        holds.grants, settings, migrated_database.admin_url, event_id
    )


async def test_given_postgresql_connections_cut_mid_transaction_then_redis_is_rolled_back(
    proxied_postgres: tuple[Settings, TcpProxy],
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
) -> None:
    settings, proxy = proxied_postgres
    async with (
        served(create_app(settings=settings)) as client,
        storm(client, bearer(settings, tenant), event_id) as holds,
    ):
        cut = time.monotonic()
        proxy.cut()
        await eventually(lambda: len(holds.sent_between(cut, time.monotonic())) > 4 * CLIENTS)
        restored = time.monotonic()
        proxy.restore()
        await eventually(
            lambda: holds.succeeded_since(restored), deadline_seconds=RESUME_BOUND_SECONDS
        )
    assert_fast_503s_only(holds.sent_between(cut, restored), "postgresql")
    await assert_every_grant_held_in_both(
        holds.grants, settings, migrated_database.admin_url, event_id
    )
    # Nothing half-written: a seat Redis holds is one PostgreSQL holds, for the same hold.
    in_postgres = await held_in_postgres(migrated_database.admin_url, event_id)
    in_redis = await held_in_redis(settings.redis_url or "", settings.redis_key_prefix, event_id)
    assert {seat: hold for seat, hold in in_redis.items() if in_postgres.get(seat) != hold} == {}


def mongo_via(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)._replace(netloc=f"127.0.0.1:{proxy.port}", query="directConnection=true")
    return urlunsplit(parts)


async def test_given_mongodb_frozen_then_seatmap_reads_answer_503_fast_while_holds_go_on(
    settings: Settings, tenant: str, event_id: str, mongo_url: str
) -> None:
    target = urlsplit(mongo_url)
    with tcp_proxy(target.hostname or "127.0.0.1", target.port or 27017) as proxy:
        app = create_app(settings=replace(settings, mongo_url=mongo_via(mongo_url, proxy)))
        headers = bearer(settings, tenant)
        seatmap = f"/v1/venues/{tenant}-venue/seatmaps/main"
        async with served(app) as client:
            assert (await client.get(seatmap, headers=headers)).status_code == 404
            proxy.freeze()
            try:
                async with storm(client, headers, event_id) as holds:
                    sent = time.monotonic()
                    lost = await client.get(seatmap, headers=headers)
                    answered_within = time.monotonic() - sent
                    assert await readiness_of(client, "mongodb") == "down"
                    started = time.monotonic()
                    await eventually(lambda: holds.succeeded_since(started))
            finally:
                proxy.thaw()
        assert lost.status_code == 503
        assert lost.json()["dependency"] == "mongodb"
        assert answered_within < ANSWER_BOUND_SECONDS
        assert {a.status for a in holds.answers} <= {201, 409}
