"""Renewing a lease in the background while a slow handler runs."""

from __future__ import annotations

import asyncio

import pytest

from lml_idempotency import (
    Began,
    IdempotencyScope,
    InFlight,
    InMemoryIdempotencyStore,
    Lease,
    renewing,
)
from lml_result import DependencyUnavailable
from lml_testing.clocks import ManualMonotonicClock

FINGERPRINT = "f" * 64
# Real seconds between renewals are a third of this; the store's clock is manual.
LEASE = 0.03
WAIT = 2.0
SCOPE = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-1")


class WatchedStore(InMemoryIdempotencyStore):
    """Reports every renewal; fails the first ``failures`` of them as Redis would."""

    def __init__(self, clock: ManualMonotonicClock, failures: int = 0) -> None:
        super().__init__(clock)
        self.renewals: asyncio.Queue[bool | None] = asyncio.Queue()
        self._failures = failures

    async def renew(self, lease: Lease, lease_seconds: float) -> bool:
        if self._failures:
            self._failures -= 1
            self.renewals.put_nowait(None)
            raise DependencyUnavailable("redis", "connection refused")
        renewed = await super().renew(lease, lease_seconds)
        self.renewals.put_nowait(renewed)
        return renewed


async def lease(store: InMemoryIdempotencyStore) -> Lease:
    outcome = await store.begin(SCOPE, FINGERPRINT, LEASE)
    assert isinstance(outcome, Began)
    return outcome.lease


async def test_given_a_handler_slower_than_the_lease_when_renewing_then_the_key_stays_leased() -> (
    None
):
    clock = ManualMonotonicClock(seconds=0.0)
    store = WatchedStore(clock)
    leased = await lease(store)

    async with renewing(store, leased, LEASE):
        for _ in range(3):
            clock.advance(LEASE * 0.6)
            assert await asyncio.wait_for(store.renewals.get(), WAIT) is True

        assert clock.seconds() > LEASE
        assert await store.begin(SCOPE, FINGERPRINT, LEASE) == InFlight()


async def test_given_redis_down_for_one_renewal_when_renewing_then_it_tries_again() -> None:
    clock = ManualMonotonicClock(seconds=0.0)
    store = WatchedStore(clock, failures=1)
    leased = await lease(store)

    async with renewing(store, leased, LEASE):
        assert await asyncio.wait_for(store.renewals.get(), WAIT) is None
        assert await asyncio.wait_for(store.renewals.get(), WAIT) is True


async def test_given_a_caller_cancelled_inside_the_block_then_the_cancellation_goes_through() -> (
    None
):
    store = WatchedStore(ManualMonotonicClock(seconds=0.0))
    leased = await lease(store)
    entered = asyncio.Event()

    async def handler() -> None:
        async with renewing(store, leased, LEASE):
            entered.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(handler())
    await asyncio.wait_for(entered.wait(), WAIT)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
