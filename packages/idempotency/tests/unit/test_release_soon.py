"""Freeing the key of a request that failed, even while the store itself is unreachable."""

from __future__ import annotations

import asyncio

from lml_idempotency import (
    Began,
    IdempotencyScope,
    InFlight,
    InMemoryIdempotencyStore,
    Lease,
    release_soon,
)
from lml_result import DependencyUnavailable

FINGERPRINT = "f" * 64
LEASE_SECONDS = 30.0
WAIT = 5.0
SCOPE = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-1")


class StalledStore(InMemoryIdempotencyStore):
    """Refuses the first ``failures`` releases as a stalled Redis would."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.released = asyncio.Event()

    async def release(self, lease: Lease) -> bool:
        if self.failures:
            self.failures -= 1
            raise DependencyUnavailable("redis", "timeout")
        freed = await super().release(lease)
        self.released.set()
        return freed


async def leased(store: InMemoryIdempotencyStore) -> Lease:
    outcome = await store.begin(SCOPE, FINGERPRINT, LEASE_SECONDS)
    assert isinstance(outcome, Began)
    return outcome.lease


async def test_given_a_reachable_store_when_released_then_a_retry_begins_at_once() -> None:
    store = StalledStore(failures=0)
    await release_soon(store, await leased(store), LEASE_SECONDS)
    assert isinstance(await store.begin(SCOPE, FINGERPRINT, LEASE_SECONDS), Began)


async def test_given_a_stalled_store_when_released_then_the_key_is_freed_once_it_answers() -> None:
    store = StalledStore(failures=2)
    await release_soon(store, await leased(store), LEASE_SECONDS)
    assert isinstance(await store.begin(SCOPE, FINGERPRINT, LEASE_SECONDS), InFlight)

    await asyncio.wait_for(store.released.wait(), WAIT)

    assert store.failures == 0
    assert isinstance(await store.begin(SCOPE, FINGERPRINT, LEASE_SECONDS), Began)
