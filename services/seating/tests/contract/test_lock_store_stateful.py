"""The hold lifecycle as a state machine: many holds and tokens, acquire, extend, release,
roll back, let time pass, expire. After every step no seat belongs to two holds, every
lock belongs to a hold that has not ended, and GA counters stay within [0, capacity] and
equal the places of the holds not yet ended."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import hypothesis.strategies as st
import pytest
import redis.asyncio
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from lml_seating.application import (
    Acquired,
    Expired,
    ExpiryQueue,
    Extended,
    HoldLocks,
    LiveLocks,
    LockConflict,
    LockTerms,
    Released,
)
from lml_seating.domain import GaQuantity, HoldScope, ZoneCounts
from lml_seating.fakes import InMemoryAvailabilityEvents, InMemoryLockStore, ManualClock
from lml_seating.infrastructure import redis_gate

T = TypeVar("T")

SEATS = [f"S-{n}" for n in range(6)]
CAPACITY = 4
SHORT_TTL = 0.05
LONG_TTL = 60.0
LIFETIME = 120.0


@dataclass
class Held:
    lock: HoldScope
    token: bytes
    long: bool


class Store:
    """A lock store's ports, a way to let time pass on its clock, and a way to close it."""

    def __init__(
        self,
        ports: tuple[HoldLocks, ExpiryQueue, LiveLocks],
        let_pass: Callable[[float], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
    ) -> None:
        self.locks, self.expiries, self.live = ports
        self.let_pass = let_pass
        self.close = close


def memory_store() -> Store:
    clock = ManualClock()

    async def let_pass(seconds: float) -> None:
        clock.advance(seconds)

    async def close() -> None:
        return None

    store = InMemoryLockStore(clock, InMemoryAvailabilityEvents())
    return Store((store, store, store), let_pass, close)


def redis_store(url: str, prefix: str) -> Store:
    client = redis.asyncio.Redis.from_url(url)
    gate = redis_gate(
        client, key_prefix=prefix, stream_max_length=100, max_lifetime_seconds=LIFETIME
    )

    async def let_pass(seconds: float) -> None:
        whole, micros = await client.time()
        target = whole + micros / 1e6 + seconds
        deadline = time.monotonic() + seconds + 5
        while True:
            whole, micros = await client.time()
            if whole + micros / 1e6 >= target:
                return
            assert time.monotonic() < deadline, "Redis server time did not advance"
            await asyncio.sleep(0.01)

    return Store((gate.locks, gate.expiries, gate.live), let_pass, client.aclose)


class HoldLifecycle(RuleBasedStateMachine):
    make_store: Callable[[], Store] = staticmethod(memory_store)

    holds = Bundle("holds")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.store = self.make_store()
        self.event_id = f"evt_{uuid.uuid4().hex[:12]}"
        self.ended: set[str] = set()
        self.places: dict[str, int] = {}
        self.run(
            self.store.locks.load_zones(
                self.event_id, [ZoneCounts(zone_id="GA", capacity=CAPACITY, held=0, sold=0)]
            )
        )

    def run(self, step: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(step)

    def teardown(self) -> None:
        self.run(self.store.close())
        self.loop.close()

    @rule(
        target=holds,
        seats=st.lists(st.sampled_from(SEATS), unique=True, max_size=3).map(sorted),
        quantity=st.integers(0, 3),
        long=st.booleans(),
    )
    def acquire(self, seats: list[str], quantity: int, long: bool) -> Any:
        if not seats and not quantity:
            quantity = 1
        lock = HoldScope(
            org_id="org_1",
            event_id=self.event_id,
            id=f"hld_{uuid.uuid4().hex[:12]}",
            seat_ids=tuple(seats),
            ga=(GaQuantity("GA", quantity),) if quantity else (),
            sales_channel_id=None,
        )
        token = uuid.uuid4().bytes
        ttl = LONG_TTL if long else SHORT_TTL
        outcome = self.run(
            self.store.locks.acquire(
                lock, token, LockTerms(ttl_seconds=ttl, max_lifetime_seconds=LIFETIME)
            )
        )
        if isinstance(outcome, LockConflict):
            assert set(outcome.seat_ids) <= set(seats)
            return multiple()
        assert isinstance(outcome, Acquired)
        self.places[lock.id] = quantity
        if long:
            owners = self.run(self.store.live.holders(self.event_id, seats))
            assert owners == dict.fromkeys(seats, lock.id), "acquired only part of a hold"
        return Held(lock, token, long)

    @rule(held=holds, right_token=st.booleans())
    def extend(self, held: Held, right_token: bool) -> None:
        token = held.token if right_token else b"not-" + held.token
        outcome = self.run(self.store.locks.extend(held.lock, token, LONG_TTL))
        if isinstance(outcome, Extended):
            assert right_token
            assert held.lock.id not in self.ended

    @rule(held=consumes(holds), right_token=st.booleans(), rollback=st.booleans())
    def end(self, held: Held, right_token: bool, rollback: bool) -> None:
        token = held.token if right_token else b"not-" + held.token
        locks = self.store.locks
        outcome = self.run(
            locks.rollback(held.lock, token) if rollback else locks.release(held.lock, token)
        )
        if isinstance(outcome, Released):
            assert right_token
            assert held.lock.id not in self.ended
            self.ended.add(held.lock.id)

    @rule()
    def let_short_holds_run_out(self) -> None:
        self.run(self.store.let_pass(SHORT_TTL + 0.01))

    @rule()
    def sweep(self) -> None:
        for lock in self.run(self.store.expiries.due(100)):
            if isinstance(self.run(self.store.expiries.expire(lock)), Expired):
                assert lock.id not in self.ended
                self.ended.add(lock.id)

    @invariant()
    def every_lock_belongs_to_one_running_hold(self) -> None:
        owners = self.run(self.store.live.holders(self.event_id, SEATS))
        assert not set(owners.values()) & self.ended

    @invariant()
    def ga_counters_count_the_places_of_holds_not_ended(self) -> None:
        zone = self.run(self.store.live.zones(self.event_id, ["GA"]))["GA"]
        assert 0 <= zone.held <= CAPACITY
        running = sum(q for hold_id, q in self.places.items() if hold_id not in self.ended)
        assert zone.held == running


def test_the_hold_lifecycle_in_memory_keeps_every_invariant() -> None:
    run_state_machine_as_test(
        HoldLifecycle,
        settings=settings(max_examples=60, stateful_step_count=30, deadline=None, derandomize=True),
    )


@pytest.mark.integration
def test_the_hold_lifecycle_in_redis_keeps_every_invariant(
    redis_url: str, redis_key_prefix: str
) -> None:
    class InRedis(HoldLifecycle):
        make_store = staticmethod(lambda: redis_store(redis_url, redis_key_prefix))

    run_state_machine_as_test(
        InRedis,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
