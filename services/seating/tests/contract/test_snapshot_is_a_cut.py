"""The availability snapshot is a consistent cut of the event's stream, on the fakes and on
real Redis and PostgreSQL: for any run of holds, extensions, releases, rollbacks, lapsed
locks and expiries, every snapshot taken along the way, with the stream's events after
its ``stream_id`` applied (``replay``), is exactly the snapshot at the end; counts add up
to the capacity; and two snapshots at the same stream id carry the same tag."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import hypothesis.strategies as st
import pytest
import redis.asyncio
from hypothesis import HealthCheck, given, settings

from lml_clocks import SystemClock
from lml_postgres import AppPool
from lml_result import Ok
from lml_seating.application import (
    Acquired,
    AvailabilityEvents,
    AvailabilitySnapshot,
    ExpiryQueue,
    HoldLocks,
    Inventory,
    LiveLocks,
    LockTerms,
    ZonesNotLoaded,
    availability_tag,
    event_availability,
)
from lml_seating.domain import GaQuantity, HoldScope, replay
from lml_seating.fakes import (
    InMemoryAvailabilityEvents,
    InMemoryInventory,
    InMemoryLockStore,
    ManualClock,
)
from lml_seating.infrastructure import PostgresInventory, redis_gate
from lml_testing.redis_time import wait_for_server_time

ORG = "org_cut"
SEATS = [f"S-{n}" for n in range(6)]
CAPACITY = 4
SHORT_TTL = 0.15
LONG_TTL = 60.0
TOKEN = b"t" * 32


@dataclass
class World:
    locks: HoldLocks
    expiries: ExpiryQueue
    live: LiveLocks
    events: AvailabilityEvents
    inventory: Inventory
    add_event: Callable[[str], Awaitable[None]]
    let_pass: Callable[[float], Awaitable[None]]


def stocked(event_id: str) -> dict[str, Any]:
    """One sold, one blocked and one reserved seat among free ones, and a GA zone."""
    return {
        "seats": SEATS,
        "zones": {"GA": CAPACITY},
        "sales_channels": ["box"],
        "seat_channels": {"S-3": "box"},
        "statuses": {"S-4": "sold", "S-5": "blocked"},
    }


@pytest.fixture
async def cut_redis(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture(
    params=[pytest.param("memory"), pytest.param("real", marks=pytest.mark.integration)]
)
def world(request: pytest.FixtureRequest) -> World:
    if request.param == "memory":
        clock = ManualClock(datetime.now(UTC))
        events = InMemoryAvailabilityEvents()
        store = InMemoryLockStore(clock, events)
        memory = InMemoryInventory(clock)

        async def add_in_memory(event_id: str) -> None:
            memory.add_event(ORG, event_id, **stocked(event_id))

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        return World(store, store, store, events, memory, add_in_memory, advance)
    pool: AppPool = request.getfixturevalue("app_pool")
    seed: Callable[..., Awaitable[None]] = request.getfixturevalue("seed")
    client: redis.asyncio.Redis = request.getfixturevalue("cut_redis")
    gate = redis_gate(
        client,
        key_prefix=request.getfixturevalue("redis_key_prefix"),
        stream_max_length=10_000,
        max_lifetime_seconds=600,
    )

    async def add_to_postgres(event_id: str) -> None:
        await seed(ORG, event_id, **stocked(event_id))

    async def wait(seconds: float) -> None:
        await wait_for_server_time(client, seconds)

    return World(
        gate.locks,
        gate.expiries,
        gate.live,
        gate.events,
        PostgresInventory(pool),
        add_to_postgres,
        wait,
    )


steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("hold"),
            st.sets(st.sampled_from(SEATS), max_size=3),
            st.integers(0, 2),
            st.booleans(),
        ),
        st.tuples(st.just("extend"), st.integers(0, 9)),
        st.tuples(st.just("release"), st.integers(0, 9)),
        st.tuples(st.just("rollback"), st.integers(0, 9)),
        st.tuples(st.just("lapse")),
        st.tuples(st.just("sweep")),
    ),
    min_size=1,
    max_size=12,
)


async def snapshot(world: World, event_id: str, channel: str | None) -> AvailabilitySnapshot:
    outcome = await event_availability(
        ORG, event_id, channel, inventory=world.inventory, live=world.live, clock=SystemClock()
    )
    assert isinstance(outcome, Ok)
    return outcome.value


async def hold(world: World, lock: HoldScope, short: bool) -> bool:
    terms = LockTerms(ttl_seconds=SHORT_TTL if short else LONG_TTL, max_lifetime_seconds=300)
    outcome = await world.locks.acquire(lock, TOKEN, terms)
    if isinstance(outcome, ZonesNotLoaded):
        # As the hold path does: the counters come from inventory the first time.
        counts = await world.inventory.zone_counts(ORG, lock.event_id, outcome.zone_ids)
        await world.locks.load_zones(lock.event_id, counts)
        outcome = await world.locks.acquire(lock, TOKEN, terms)
    return isinstance(outcome, Acquired)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, channel=st.none() | st.just("box"))
async def test_every_snapshot_replayed_to_the_end_is_the_last_snapshot(
    world: World, steps: list[tuple[Any, ...]], channel: str | None
) -> None:
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    await world.add_event(event_id)
    holds: list[HoldScope] = []
    taken = [await snapshot(world, event_id, channel)]
    for step in steps:
        match step:
            case ("hold", seats, places, short):
                lock = HoldScope(
                    org_id=ORG,
                    event_id=event_id,
                    id=f"hld_{len(holds)}_{uuid.uuid4().hex[:6]}",
                    seat_ids=tuple(sorted(seats)),
                    ga=(GaQuantity("GA", places),) if places else (),
                    sales_channel_id=channel,
                )
                if (seats or places) and await hold(world, lock, short):
                    holds.append(lock)
            case ("extend", n) if holds:
                await world.locks.extend(holds[n % len(holds)], TOKEN, LONG_TTL)
            case ("release", n) if holds:
                await world.locks.release(holds[n % len(holds)], TOKEN)
            case ("rollback", n) if holds:
                await world.locks.rollback(holds[n % len(holds)], TOKEN)
            case ("lapse",):
                await world.let_pass(SHORT_TTL + 0.02)
            case ("sweep",):
                for due in await world.expiries.due(100):
                    await world.expiries.expire(due)
        taken.append(await snapshot(world, event_id, channel))

    last = taken[-1]
    for earlier in taken:
        later = await world.events.since(event_id, earlier.availability.stream_id, limit=10_000)
        assert replay(earlier.availability, later) == last.availability
        if earlier.availability.stream_id == last.availability.stream_id:
            assert earlier.tag == last.tag
    counts = last.availability.counts
    assert counts.available + counts.held + counts.sold + counts.blocked == len(SEATS) + CAPACITY
    cheap = await availability_tag(
        ORG, event_id, channel, configurations=world.inventory, live=world.live
    )
    assert isinstance(cheap, Ok)
    assert cheap.value.tag == last.tag


def a_hold(event_id: str, name: str, *seats: str) -> HoldScope:
    return HoldScope(
        org_id=ORG,
        event_id=event_id,
        id=f"hld_{name}_{uuid.uuid4().hex[:6]}",
        seat_ids=seats,
        ga=(),
        sales_channel_id=None,
    )


async def sweep(world: World) -> None:
    for due in await world.expiries.due(100):
        await world.expiries.expire(due)


async def statuses(world: World, event_id: str) -> dict[str, str]:
    view = (await snapshot(world, event_id, None)).availability
    return {seat.id: seat.status for seat in view.seats}


async def test_given_a_lapsed_lock_not_yet_swept_then_the_seat_still_reads_held(
    world: World,
) -> None:
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    await world.add_event(event_id)
    assert (await snapshot(world, event_id, None)).availability.stream_id == "0-0"
    assert await hold(world, a_hold(event_id, "a", "S-0"), short=True)

    await world.let_pass(SHORT_TTL + 0.02)

    assert (await statuses(world, event_id))["S-0"] == "held"
    await sweep(world)
    assert (await statuses(world, event_id))["S-0"] == "available"


async def test_given_a_lapsed_seat_another_hold_took_when_the_first_expires_then_it_stays_held(
    world: World,
) -> None:
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    await world.add_event(event_id)
    assert await hold(world, a_hold(event_id, "a", "S-0", "S-1"), short=True)
    await world.let_pass(SHORT_TTL + 0.02)
    start = await snapshot(world, event_id, None)
    assert await hold(world, a_hold(event_id, "b", "S-0"), short=True)
    await world.let_pass(SHORT_TTL + 0.02)
    assert await hold(world, a_hold(event_id, "c", "S-2"), short=False)

    await sweep(world)

    end = await snapshot(world, event_id, None)
    seats = {seat.id: seat.status for seat in end.availability.seats}
    assert (seats["S-0"], seats["S-1"], seats["S-2"]) == ("available", "available", "held")
    later = await world.events.since(event_id, start.availability.stream_id, limit=1000)
    assert replay(start.availability, later) == end.availability


async def test_given_a_lapsed_seat_retaken_when_the_first_hold_expires_then_it_stays_held(
    world: World,
) -> None:
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    await world.add_event(event_id)
    first = a_hold(event_id, "a", "S-0", "S-1")
    assert await hold(world, first, short=True)
    await world.let_pass(SHORT_TTL + 0.02)
    start = await snapshot(world, event_id, None)
    assert await hold(world, a_hold(event_id, "b", "S-0"), short=False)

    assert await world.expiries.expire(first) is not None

    end = await snapshot(world, event_id, None)
    seats = {seat.id: seat.status for seat in end.availability.seats}
    assert (seats["S-0"], seats["S-1"]) == ("held", "available")
    later = await world.events.since(event_id, start.availability.stream_id, limit=1000)
    assert replay(start.availability, later) == end.availability
