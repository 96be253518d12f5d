"""What the metered store counts in the process registry."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lml_idempotency import (
    Began,
    IdempotencyScope,
    InMemoryIdempotencyStore,
    Lease,
    MeteredIdempotencyStore,
    StoredResponse,
)
from lml_metrics import REGISTRY

FINGERPRINT = "f" * 64
LEASE = 30.0
SCOPE = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-1")
RESPONSE = StoredResponse(status=201, body=b"{}")


def counter(name: str) -> Callable[[], float]:
    def read() -> float:
        return REGISTRY.get_sample_value(name) or 0.0

    return read


async def lease(store: MeteredIdempotencyStore) -> Lease:
    outcome = await store.begin(SCOPE, FINGERPRINT, LEASE)
    assert isinstance(outcome, Began)
    return outcome.lease


@pytest.fixture
def metered() -> MeteredIdempotencyStore:
    return MeteredIdempotencyStore(InMemoryIdempotencyStore())


async def test_given_a_fresh_key_when_begun_then_begin_is_counted(
    metered: MeteredIdempotencyStore,
) -> None:
    begun = counter("lml_idempotency_begin_total")
    before = begun()

    await metered.begin(SCOPE, FINGERPRINT, LEASE)

    assert begun() == before + 1


async def test_given_the_owner_when_it_completes_then_a_commit_is_counted(
    metered: MeteredIdempotencyStore,
) -> None:
    committed = counter("lml_idempotency_commit_total")
    leased = await lease(metered)
    before = committed()

    await metered.complete(leased, RESPONSE)
    await metered.complete(leased, RESPONSE)

    assert committed() == before + 1


async def test_given_a_completed_key_when_replayed_then_a_cached_hit_is_counted(
    metered: MeteredIdempotencyStore,
) -> None:
    hits = counter("lml_idempotency_hit_cached_total")
    leased = await lease(metered)
    await metered.complete(leased, RESPONSE)
    before = hits()

    await metered.begin(SCOPE, FINGERPRINT, LEASE)

    assert hits() == before + 1


async def test_given_a_leased_key_when_a_different_request_begins_then_a_conflict_is_counted(
    metered: MeteredIdempotencyStore,
) -> None:
    conflicts = counter("lml_idempotency_conflict_total")
    await metered.begin(SCOPE, FINGERPRINT, LEASE)
    before = conflicts()

    await metered.begin(SCOPE, "0" * 64, LEASE)

    assert conflicts() == before + 1


async def test_given_a_leased_key_when_the_same_request_begins_then_in_progress_is_counted(
    metered: MeteredIdempotencyStore,
) -> None:
    in_progress = counter("lml_idempotency_in_progress_total")
    await metered.begin(SCOPE, FINGERPRINT, LEASE)
    before = in_progress()

    await metered.begin(SCOPE, FINGERPRINT, LEASE)

    assert in_progress() == before + 1
