"""Holds over HTTP on real PostgreSQL and Redis: races, lost Redis state, failing writes."""

from __future__ import annotations

import asyncio
import hashlib
import random
import uuid
from collections.abc import Callable

import httpx
import psycopg
import pytest
import redis.asyncio
from prometheus_client.parser import text_string_to_metric_families

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_metrics import render
from lml_testing.databases import TemporaryDatabase
from lml_testing.polling import eventually
from lml_testing.seed import seed_event
from lml_testing.served import served

pytestmark = pytest.mark.integration

WRITE = "inventory.holds:write"
READ = "inventory.read"
SEATS = [f"S-{n:02d}" for n in range(1, 13)]
CAPACITY = 10


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets="*=100000/60s",
        hold_min_ttl_seconds=1,
        db_pool_max_size=6,
    )


@pytest.fixture
def tenant() -> str:
    return f"org_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def event_id(migrated_database: TemporaryDatabase, tenant: str) -> str:
    event = f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(migrated_database.admin_url, tenant, event, SEATS, {"GA": CAPACITY})
    return event


def bearer(settings: Settings, tenant: str) -> dict[str, str]:
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, [WRITE, READ])
    return {"Authorization": f"Bearer {issued.access_token}"}


async def seats_in_postgres(admin_url: str, event_id: str) -> dict[str, str | None]:
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(
            "select seat_id, hold_id from lml.event_seats where event_id = %s", (event_id,)
        )
        return dict(await cursor.fetchall())


async def zone_held_in_postgres(admin_url: str, event_id: str) -> int:
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(
            "select held from lml.event_zones where event_id = %s", (event_id,)
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def seats_in_redis(redis_url: str, prefix: str, event_id: str) -> dict[str, str]:
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        values = await client.mget([f"{prefix}:{{{event_id}}}:seat:{seat}" for seat in SEATS])
    finally:
        await client.aclose()
    return {seat: value for seat, value in zip(SEATS, values, strict=True) if value}


async def test_given_fifty_clients_racing_for_overlapping_seats_then_no_seat_is_held_twice(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    draw = random.Random(7)
    requests = [
        {
            "event_id": event_id,
            "seat_ids": draw.sample(SEATS, draw.randint(1, 3)),
            "ga": [{"zone_id": "GA", "quantity": draw.randint(1, 3)}]
            if draw.random() < 0.5
            else [],
        }
        for _ in range(50)
    ]
    headers = bearer(settings, tenant)

    async with (
        served(create_app(settings=settings)) as first,
        served(create_app(settings=settings)) as second,
    ):
        responses = await asyncio.gather(
            *(
                (first if n % 2 else second).post("/v1/holds", json=body, headers=headers)
                for n, body in enumerate(requests)
            )
        )

    statuses = [response.status_code for response in responses]
    winners = [response.json() for response in responses if response.status_code == 201]
    assert statuses.count(201) + statuses.count(409) == 50, statuses
    assert 1 < len(winners) < 50
    owner_of = {seat: hold["id"] for hold in winners for seat in hold["seat_ids"]}
    assert len(owner_of) == sum(len(hold["seat_ids"]) for hold in winners), "a seat held twice"
    places = sum(item["quantity"] for hold in winners for item in hold["ga"])
    assert places <= CAPACITY
    in_postgres = await seats_in_postgres(migrated_database.admin_url, event_id)
    assert {seat: hold for seat, hold in in_postgres.items() if hold} == owner_of
    assert await seats_in_redis(redis_url, redis_key_prefix, event_id) == owner_of
    assert await zone_held_in_postgres(migrated_database.admin_url, event_id) == places


@pytest.mark.parametrize("holds_at_once", [1, 4])
async def test_given_postgres_failing_during_the_hold_then_503_and_the_seats_are_free_again(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
    holds_at_once: int,
) -> None:
    """Holds sent together share one PostgreSQL transaction: when it fails, every one of
    them answers 503 and gives back what it had taken in Redis."""
    bodies = [
        {
            "event_id": event_id,
            "seat_ids": [f"S-{2 * n + 1:02d}", f"S-{2 * n + 2:02d}"],
            "ga": [{"zone_id": "GA", "quantity": 2}],
        }
        for n in range(holds_at_once)
    ]
    async with served(create_app(settings=settings)) as api:
        headers = bearer(settings, tenant)
        trigger = f"fail_{event_id}"
        async with await psycopg.AsyncConnection.connect(
            migrated_database.admin_url, autocommit=True
        ) as owner:
            await owner.execute(
                "create or replace function lml.fail_hold() returns trigger language plpgsql as"
                " $$ begin raise exception 'database going away' using errcode = '57P01'; end $$"
            )
            await owner.execute(
                f"create trigger {trigger} before update on lml.event_seats for each row"
                f" when (new.event_id = '{event_id}') execute function lml.fail_hold()"
            )
            try:
                failed = await asyncio.gather(
                    *(api.post("/v1/holds", json=body, headers=headers) for body in bodies)
                )
            finally:
                await owner.execute(f"drop trigger {trigger} on lml.event_seats")

        assert [response.status_code for response in failed] == [503] * holds_at_once
        assert {response.json()["type"] for response in failed} == {
            "/problems/dependency-unavailable"
        }
        assert await seats_in_redis(redis_url, redis_key_prefix, event_id) == {}
        availability = await api.get(f"/v1/events/{event_id}/availability", headers=headers)
        assert availability.json()["counts"]["held"] == 0
        assert await zone_held_in_postgres(migrated_database.admin_url, event_id) == 0
        again = await asyncio.gather(
            *(api.post("/v1/holds", json=body, headers=headers) for body in bodies)
        )
        assert [response.status_code for response in again] == [201] * holds_at_once


async def test_given_redis_lost_its_state_when_holding_held_seats_again_then_409_and_no_double_hold(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    async with served(create_app(settings=settings)) as api:
        headers = bearer(settings, tenant)
        first = await api.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-01", "S-02"]}, headers=headers
        )
        client = redis.asyncio.Redis.from_url(redis_url)
        try:
            keys = [key async for key in client.scan_iter(match=f"{redis_key_prefix}*")]
            await client.delete(*keys)
        finally:
            await client.aclose()

        again = await api.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-02", "S-03"]}, headers=headers
        )

        assert again.status_code == 409
        assert again.json()["conflicting_seats"] == ["S-02"]
        held = {
            s: h
            for s, h in (await seats_in_postgres(migrated_database.admin_url, event_id)).items()
            if h
        }
        assert held == {"S-01": first.json()["id"], "S-02": first.json()["id"]}
        assert await seats_in_redis(redis_url, redis_key_prefix, event_id) == {}
        release = await api.delete(
            f"/v1/holds/{first.json()['id']}",
            headers={**headers, "If-Match": f'"{first.json()["hold_token"]}"'},
        )
        assert release.status_code == 204
        retry = await api.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-02", "S-03"]}, headers=headers
        )
        assert retry.status_code == 201


async def test_given_a_wrong_or_missing_token_then_412_and_nothing_changes(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    async with served(create_app(settings=settings)) as api:
        headers = bearer(settings, tenant)
        created = (
            await api.post(
                "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-05"]}, headers=headers
            )
        ).json()
        url = f"/v1/holds/{created['id']}"

        for token_headers in ({}, {"If-Match": '"wrong"'}):
            patched = await api.patch(
                url, json={"ttl_seconds": 600}, headers={**headers, **token_headers}
            )
            deleted = await api.delete(url, headers={**headers, **token_headers})
            assert (patched.status_code, deleted.status_code) == (412, 412)

        assert (await api.get(url, headers=headers)).json() == {
            k: v for k, v in created.items() if k != "hold_token"
        }
        assert await seats_in_redis(redis_url, redis_key_prefix, event_id) == {
            "S-05": created["id"]
        }


async def test_given_an_expired_hold_then_its_token_gets_412_and_its_seat_stays_recorded(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    async with served(create_app(settings=settings)) as api:
        headers = bearer(settings, tenant)
        short = (
            await api.post(
                "/v1/holds",
                json={"event_id": event_id, "seat_ids": ["S-06"], "ttl_seconds": 1},
                headers=headers,
            )
        ).json()
        url = f"/v1/holds/{short['id']}"

        async def expired() -> bool:
            return bool((await api.get(url, headers=headers)).json()["status"] == "expired")

        await eventually(expired, every_seconds=0.05)
        with_token = {**headers, "If-Match": f'"{short["hold_token"]}"'}

        assert (await api.patch(url, json={}, headers=with_token)).status_code == 412
        assert (await api.delete(url, headers=with_token)).status_code == 412
        in_postgres = await seats_in_postgres(migrated_database.admin_url, event_id)
        assert in_postgres["S-06"] == short["id"]


def metric_samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


async def test_given_a_hold_a_conflict_and_a_release_then_metrics_count_each(
    settings: Settings, tenant: str, event_id: str
) -> None:
    headers = bearer(settings, tenant)
    watched = [
        ("lml_seating_holds_created_total", ()),
        ("lml_seating_hold_conflicts_total", ()),
        ("lml_seating_hold_releases_total", ()),
        ("lml_seating_lua_duration_seconds_count", (("script", "acquire_all_or_none"),)),
        ("lml_seating_inventory_batch_size_count", (("operation", "take"),)),
        ("lml_seating_inventory_batch_size_count", (("operation", "refusal"),)),
    ]
    async with served(create_app(settings=settings)) as api:
        before = metric_samples(render().decode())
        held = await api.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-01"]}, headers=headers
        )
        refused = await api.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-01"]}, headers=headers
        )
        released = await api.delete(
            f"/v1/holds/{held.json()['id']}",
            headers={**headers, "If-Match": f'"{held.json()["hold_token"]}"'},
        )
        after = metric_samples(render().decode())

    assert (held.status_code, refused.status_code, released.status_code) == (201, 409, 204)
    assert [after[key] - before.get(key, 0.0) for key in watched] == [1, 1, 1, 2, 1, 1]


async def test_given_a_hold_extended_and_released_then_redis_never_sees_its_raw_token(
    settings: Settings, tenant: str, event_id: str, redis_url: str, redis_key_prefix: str
) -> None:
    """The token is hashed once in Python: Redis gets (and keeps) only its SHA-256 digest,
    the one PostgreSQL keeps, so neither MONITOR nor SLOWLOG nor a key dump shows it."""
    headers = bearer(settings, tenant)
    watcher = redis.asyncio.Redis.from_url(redis_url)
    sentinel = f"end-of-test-{uuid.uuid4().hex}"
    seen: list[str] = []

    async def watch(ready: asyncio.Event) -> None:
        async with watcher.monitor() as monitor:
            ready.set()
            while sentinel not in (command := (await monitor.next_command())["command"]):
                seen.append(command)

    ready = asyncio.Event()
    watching = asyncio.create_task(watch(ready))
    await ready.wait()
    async with served(create_app(settings=settings)) as api:
        created = await api.post(
            "/v1/holds", json={"event_id": event_id, "seat_ids": ["S-01"]}, headers=headers
        )
        assert created.status_code == 201
        hold = created.json()
        token = hold["hold_token"]
        owner = {**headers, "If-Match": f'"{token}"'}
        record = await watcher.hgetall(f"{redis_key_prefix}:{{{event_id}}}:hold:{hold['id']}")
        extended = await api.patch(
            f"/v1/holds/{hold['id']}", json={"ttl_seconds": 120}, headers=owner
        )
        released = await api.delete(f"/v1/holds/{hold['id']}", headers=owner)
    await watcher.echo(sentinel)
    await asyncio.wait_for(watching, timeout=10)
    await watcher.aclose()

    assert (extended.status_code, released.status_code) == (200, 204)
    assert record[b"token"] == hashlib.sha256(token.encode()).hexdigest().encode()
    scripts = [command for command in seen if "EVALSHA" in command.upper()]
    assert len(scripts) >= 3, seen
    assert not [command for command in seen if token in command]


async def configuration_version(admin_url: str, event_id: str) -> int:
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(
            "select version from lml.event_inventory_versions where event_id = %s", (event_id,)
        )
        row = await cursor.fetchone()
        return 0 if row is None else int(row[0])


async def test_the_snapshot_tag_follows_the_stream_and_the_configuration_in_postgres(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    url = f"/v1/events/{event_id}/availability"
    admin_url = migrated_database.admin_url
    async with served(create_app(settings=settings)) as api:
        headers = {**bearer(settings, tenant), "Accept-Encoding": "identity"}
        first = await api.get(url, headers=headers)
        assert first.status_code == 200
        assert first.json()["stream_id"] == first.headers["Availability-Stream-Id"] == "0-0"
        tag = first.headers["ETag"]
        assert (await api.get(url, headers={**headers, "If-None-Match": tag})).status_code == 304

        created = await api.post(
            "/v1/holds",
            json={
                "event_id": event_id,
                "seat_ids": ["S-01"],
                "ga": [{"zone_id": "GA", "quantity": 2}],
            },
            headers=headers,
        )
        assert created.status_code == 201, created.text
        held = await api.get(url, headers={**headers, "If-None-Match": tag})
        assert held.status_code == 200
        assert held.headers["ETag"] != tag
        assert held.json()["stream_id"] != "0-0"
        assert held.json()["counts"] == {"available": 19, "held": 3, "sold": 0, "blocked": 0}
        hold_token = {"If-Match": f'"{created.json()["hold_token"]}"'}
        released = await api.delete(
            f"/v1/holds/{created.json()['id']}", headers={**headers, **hold_token}
        )
        assert released.status_code == 204
        # Holds and releases never touch the configuration version.
        assert await configuration_version(admin_url, event_id) == 0
        after_release = await api.get(url, headers=headers)
        tag = after_release.headers["ETag"]
        assert tag != held.headers["ETag"]

        async with await psycopg.AsyncConnection.connect(admin_url) as owner:
            await owner.execute(
                "update lml.event_seats set status = 'blocked'"
                " where event_id = %s and seat_id = 'S-12'",
                (event_id,),
            )
        assert await configuration_version(admin_url, event_id) == 1
        blocked = await api.get(url, headers={**headers, "If-None-Match": tag})
        assert blocked.status_code == 200
        assert blocked.headers["ETag"] != tag
        assert (
            blocked.headers["Availability-Stream-Id"]
            == after_release.headers["Availability-Stream-Id"]
        )
        assert blocked.json()["counts"]["blocked"] == 1

        zipped = await api.get(url, headers={**headers, "Accept-Encoding": "gzip"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["ETag"] == blocked.headers["ETag"][:-1] + '-gzip"'
        assert zipped.json() == blocked.json()
        again = await api.get(
            url,
            headers={**headers, "Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
        )
        assert again.status_code == 304


async def test_given_two_api_processes_when_a_price_category_changes_then_neither_answers_304(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    url = f"/v1/events/{event_id}/availability"
    headers = {**bearer(settings, tenant), "Accept-Encoding": "identity"}
    async with (
        served(create_app(settings=settings)) as first,
        served(create_app(settings=settings)) as second,
    ):
        tag = (await first.get(url, headers=headers)).headers["ETag"]
        revalidation = {**headers, "If-None-Match": tag}
        for api in (first, second):
            assert (await api.get(url, headers=revalidation)).status_code == 304

        async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
            await owner.execute(
                "update lml.event_seats set price_category = 'premium'"
                " where event_id = %s and seat_id = 'S-01'",
                (event_id,),
            )

        # Each process hears of the change from PostgreSQL as it commits (within a moment).
        for api in (first, second):
            await eventually(
                lambda api=api: _status(api, url, revalidation, 200), deadline_seconds=2
            )
        changed = await second.get(url, headers=revalidation)
        assert changed.headers["ETag"] != tag
        assert {"id": "S-01", "status": "available", "price_category": "premium"} in changed.json()[
            "seats"
        ]


async def _status(api: httpx.AsyncClient, url: str, headers: dict[str, str], status: int) -> bool:
    return (await api.get(url, headers=headers)).status_code == status
