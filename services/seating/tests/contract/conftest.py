"""Fixtures: each lock store behind one harness that can also let time pass.

pytest runs with --import-mode=importlib, so tests reach these helpers through
fixtures rather than by importing this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import msgspec
import psycopg
import pytest
import redis.asyncio

from lml_postgres import AppPool
from lml_seating.application import (
    AvailabilityEvents,
    ExpiryQueue,
    HoldLocks,
    HoldRules,
    Inventory,
    LiveLocks,
    OrderLocks,
)
from lml_seating.fakes import (
    InMemoryAvailabilityEvents,
    InMemoryInventory,
    InMemoryLockStore,
    ManualClock,
)
from lml_seating.infrastructure import (
    PostgresHoldRules,
    PostgresInventory,
    RedisGate,
    SeatingKeys,
    redis_gate,
)
from lml_testing.databases import TemporaryDatabase
from lml_testing.redis_time import wait_for_server_time

# Redis expires keys on its own clock, at millisecond precision.
EXPIRY_MARGIN_SECONDS = 0.01
MAX_LIFETIME_SECONDS = 1800.0


class Harness:
    """A lock store's three ports and its stream, plus ways to let time pass and to lose
    all state."""

    def __init__(
        self,
        store: InMemoryLockStore | RedisGate,
        events: AvailabilityEvents,
        advance: Callable[[float], Awaitable[None]],
        forget: Callable[[], Awaitable[None]],
        trim: Callable[[str, int], Awaitable[None]],
    ) -> None:
        self.locks: HoldLocks = store.locks if isinstance(store, RedisGate) else store
        self.expiries: ExpiryQueue = store.expiries if isinstance(store, RedisGate) else store
        self.live: LiveLocks = store.live if isinstance(store, RedisGate) else store
        self.orders: OrderLocks = store.orders if isinstance(store, RedisGate) else store
        self.events = events
        self._advance = advance
        self._forget = forget
        self._trim = trim

    async def let_pass(self, seconds: float) -> None:
        await self._advance(seconds + EXPIRY_MARGIN_SECONDS)

    async def forget_everything(self) -> None:
        """What FLUSHALL, or a failover to a replica that missed the writes, does."""
        await self._forget()

    async def trim(self, event_id: str, keep: int) -> None:
        """What the stream's length bound does to an event's oldest entries."""
        await self._trim(event_id, keep)


def memory_harness() -> Harness:
    clock = ManualClock()
    events = InMemoryAvailabilityEvents()
    store = InMemoryLockStore(clock, events)

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    async def forget() -> None:
        store.forget_everything()

    async def trim(event_id: str, keep: int) -> None:
        events.trim(event_id, keep)

    return Harness(store, events, advance, forget, trim)


@pytest.fixture(
    params=[pytest.param("memory"), pytest.param("redis", marks=pytest.mark.integration)]
)
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "memory":
        yield memory_harness()
        return
    redis_url: str = request.getfixturevalue("redis_url")
    prefix: str = request.getfixturevalue("redis_key_prefix")
    client = redis.asyncio.Redis.from_url(redis_url)

    async def forget() -> None:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=1000)]
        if keys:
            await client.delete(*keys)

    try:
        gate = redis_gate(
            client,
            key_prefix=prefix,
            stream_max_length=1000,
            max_lifetime_seconds=MAX_LIFETIME_SECONDS,
        )

        async def trim(event_id: str, keep: int) -> None:
            await client.xtrim(SeatingKeys(prefix).stream(event_id), maxlen=keep, approximate=False)

        yield Harness(
            gate,
            gate.events,
            lambda seconds: wait_for_server_time(client, seconds),
            forget,
            trim,
        )
    finally:
        await client.aclose()


@pytest.fixture
def locks(harness: Harness) -> HoldLocks:
    return harness.locks


@pytest.fixture
def expiries(harness: Harness) -> ExpiryQueue:
    return harness.expiries


@pytest.fixture
def live(harness: Harness) -> LiveLocks:
    return harness.live


@pytest.fixture
def events(harness: Harness) -> AvailabilityEvents:
    return harness.events


class InventoryHarness:
    """An inventory and its hold rules, plus a way to create events in it."""

    def __init__(
        self,
        inventory: Inventory,
        rules: HoldRules,
        add_event: Callable[..., Awaitable[None]],
    ) -> None:
        self.inventory = inventory
        self.rules = rules
        self.add_event = add_event


async def seed_event(
    admin_url: str,
    org_id: str,
    event_id: str,
    *,
    seats: Iterable[str] = (),
    zones: Mapping[str, int] | None = None,
    max_seats_per_hold: int = 10,
    sales_channels: Iterable[str] = (),
    seat_channels: Mapping[str, str] | None = None,
    statuses: Mapping[str, str] | None = None,
) -> None:
    """An event with its seats and zones, written as the owner (as catalog would)."""
    channels, states = seat_channels or {}, statuses or {}
    listed = [{"id": channel, "name": channel} for channel in sales_channels]
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Org') on conflict do nothing",
            (org_id,),
        )
        await owner.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Hall')"
            " on conflict do nothing",
            (org_id, f"{org_id}-venue"),
        )
        await owner.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold, sales_channels) values (%s, %s, %s, 'map',"
            " 'Concert', now() + interval '30 days', 'EUR', %s, %s::jsonb)",
            (
                org_id,
                event_id,
                f"{org_id}-venue",
                max_seats_per_hold,
                msgspec.json.encode(listed).decode(),
            ),
        )
        async with owner.cursor() as cursor:
            await cursor.executemany(
                "insert into lml.event_seats (tenant_id, event_id, seat_id, status,"
                " price_category, sales_channel_id) values (%s, %s, %s, %s, 'standard', %s)",
                [
                    (org_id, event_id, seat, states.get(seat, "available"), channels.get(seat))
                    for seat in seats
                ],
            )
            await cursor.executemany(
                "insert into lml.event_zones (tenant_id, event_id, zone_id, name,"
                " price_category, capacity) values (%s, %s, %s, %s, 'standard', %s)",
                [
                    (org_id, event_id, zone, zone, capacity)
                    for zone, capacity in (zones or {}).items()
                ],
            )


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> Callable[..., Awaitable[None]]:
    """``await seed(tenant, event, seats=..., zones=...)`` in the test database, as the owner."""
    database: TemporaryDatabase = request.getfixturevalue("migrated_database")

    async def add(org_id: str, event_id: str, **details: Any) -> None:
        await seed_event(database.admin_url, org_id, event_id, **details)

    return add


@pytest.fixture(
    params=[pytest.param("memory"), pytest.param("postgres", marks=pytest.mark.integration)]
)
def inventory_harness(request: pytest.FixtureRequest) -> InventoryHarness:
    if request.param == "memory":
        memory = InMemoryInventory(ManualClock(datetime.now(UTC)))

        async def add_in_memory(org_id: str, event_id: str, **details: Any) -> None:
            memory.add_event(org_id, event_id, **details)

        return InventoryHarness(memory, memory, add_in_memory)
    pool: AppPool = request.getfixturevalue("app_pool")
    seed: Callable[..., Awaitable[None]] = request.getfixturevalue("seed")
    return InventoryHarness(PostgresInventory(pool), PostgresHoldRules(pool), seed)
