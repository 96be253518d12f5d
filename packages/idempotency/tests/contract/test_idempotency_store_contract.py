"""The idempotency store contract, run against the in-memory fake and Redis."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from lml_idempotency import (
    Began,
    IdempotencyScope,
    IdempotencyStore,
    InFlight,
    Lease,
    Mismatch,
    Replay,
    StoredResponse,
)

FINGERPRINT = "f" * 64
OTHER_FINGERPRINT = "0" * 64
LEASE = 0.2
LONG_LEASE = 30.0
RESPONSE = StoredResponse(
    status=201,
    body=b'{"id":"hold_1"}\x00\xff',
    headers=(("Content-Type", "application/json"), ("Location", "/v1/holds/hold_1")),
)


async def began(
    store: IdempotencyStore, scope: IdempotencyScope, lease_seconds: float = LONG_LEASE
) -> Lease:
    outcome = await store.begin(scope, FINGERPRINT, lease_seconds)
    assert isinstance(outcome, Began)
    return outcome.lease


async def test_given_a_fresh_key_when_begun_then_the_request_gets_the_lease(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    outcome = await store.begin(scope, FINGERPRINT, LONG_LEASE)

    assert isinstance(outcome, Began)
    assert outcome.lease.scope == scope
    assert outcome.lease.token


async def test_given_a_leased_key_when_the_same_request_begins_then_it_is_in_flight(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    await began(store, scope)

    assert await store.begin(scope, FINGERPRINT, LONG_LEASE) == InFlight()


async def test_given_a_leased_key_when_a_different_request_begins_then_it_mismatches(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    await began(store, scope)

    assert await store.begin(scope, OTHER_FINGERPRINT, LONG_LEASE) == Mismatch()


async def test_given_a_completed_key_when_the_same_request_begins_then_the_response_replays(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)
    await store.complete(lease, RESPONSE)

    assert await store.begin(scope, FINGERPRINT, LONG_LEASE) == Replay(RESPONSE)


async def test_given_a_completed_key_when_a_different_request_begins_then_it_mismatches(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)
    await store.complete(lease, RESPONSE)

    assert await store.begin(scope, OTHER_FINGERPRINT, LONG_LEASE) == Mismatch()


async def test_given_twenty_concurrent_begins_on_one_key_then_exactly_one_gets_the_lease(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    outcomes = await asyncio.gather(
        *(store.begin(scope, FINGERPRINT, LONG_LEASE) for _ in range(20))
    )

    assert sum(isinstance(outcome, Began) for outcome in outcomes) == 1
    assert sum(outcome == InFlight() for outcome in outcomes) == 19


@pytest.mark.parametrize("field", ["organisation", "principal", "method", "route"])
async def test_given_a_leased_key_when_another_scope_uses_the_same_key_then_it_gets_its_own_lease(
    store: IdempotencyStore, scope: IdempotencyScope, field: str
) -> None:
    await began(store, scope)
    changes: dict[str, Any] = {field: "PATCH" if field == "method" else "other"}

    outcome = await store.begin(dataclasses.replace(scope, **changes), FINGERPRINT, LONG_LEASE)

    assert isinstance(outcome, Began)


async def test_given_the_owner_when_it_completes_then_the_store_confirms(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)

    assert await store.complete(lease, RESPONSE) is True


async def test_given_another_token_when_it_completes_then_nothing_is_stored(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    await began(store, scope)

    assert await store.complete(Lease(scope, "not-the-owner"), RESPONSE) is False
    assert await store.begin(scope, FINGERPRINT, LONG_LEASE) == InFlight()


async def test_given_a_completed_key_when_the_owner_completes_again_then_it_is_refused(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)
    await store.complete(lease, RESPONSE)

    assert await store.complete(lease, StoredResponse(status=200, body=b"")) is False
    assert await store.begin(scope, FINGERPRINT, LONG_LEASE) == Replay(RESPONSE)


async def test_given_the_owner_when_it_releases_then_the_key_is_free_for_any_request(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)

    assert await store.release(lease) is True
    assert isinstance(await store.begin(scope, OTHER_FINGERPRINT, LONG_LEASE), Began)


async def test_given_another_token_when_it_releases_then_the_lease_stands(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    await began(store, scope)

    assert await store.release(Lease(scope, "not-the-owner")) is False
    assert await store.begin(scope, FINGERPRINT, LONG_LEASE) == InFlight()


async def test_given_a_completed_key_when_the_owner_releases_then_the_response_is_kept(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)
    await store.complete(lease, RESPONSE)

    assert await store.release(lease) is False
    assert await store.begin(scope, FINGERPRINT, LONG_LEASE) == Replay(RESPONSE)


async def test_given_an_unknown_key_when_anyone_renews_completes_or_releases_then_it_is_refused(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    assert await store.renew(Lease(scope, "token"), LONG_LEASE) is False
    assert await store.complete(Lease(scope, "token"), RESPONSE) is False
    assert await store.release(Lease(scope, "token")) is False


async def test_given_a_crashed_request_when_its_lease_expires_then_the_key_is_free(
    harness: Any, scope: IdempotencyScope
) -> None:
    await began(harness.store, scope, lease_seconds=LEASE)

    await harness.let_pass(LEASE)

    assert isinstance(await harness.store.begin(scope, OTHER_FINGERPRINT, LONG_LEASE), Began)


async def test_given_an_expired_lease_taken_over_when_the_first_owner_completes_then_it_is_refused(
    harness: Any, scope: IdempotencyScope
) -> None:
    first = await began(harness.store, scope, lease_seconds=LEASE)
    await harness.let_pass(LEASE)
    await began(harness.store, scope)

    assert await harness.store.complete(first, RESPONSE) is False
    assert await harness.store.begin(scope, FINGERPRINT, LONG_LEASE) == InFlight()


async def test_given_the_owner_when_it_renews_then_the_lease_outlives_its_first_term(
    harness: Any, scope: IdempotencyScope
) -> None:
    lease = await began(harness.store, scope, lease_seconds=LEASE)

    assert await harness.store.renew(lease, LONG_LEASE) is True
    await harness.let_pass(LEASE)

    assert await harness.store.begin(scope, FINGERPRINT, LONG_LEASE) == InFlight()


async def test_given_another_token_when_it_renews_then_the_lease_still_expires(
    harness: Any, scope: IdempotencyScope
) -> None:
    await began(harness.store, scope, lease_seconds=LEASE)

    assert await harness.store.renew(Lease(scope, "not-the-owner"), LONG_LEASE) is False
    await harness.let_pass(LEASE)

    assert isinstance(await harness.store.begin(scope, FINGERPRINT, LONG_LEASE), Began)


async def test_given_a_completed_key_when_the_owner_renews_then_it_is_refused(
    store: IdempotencyStore, scope: IdempotencyScope
) -> None:
    lease = await began(store, scope)
    await store.complete(lease, RESPONSE)

    assert await store.renew(lease, LONG_LEASE) is False


async def test_given_a_stored_response_when_its_ttl_passes_then_the_key_is_free(
    harness: Any, scope: IdempotencyScope
) -> None:
    lease = await began(harness.store, scope)
    await harness.store.complete(lease, RESPONSE, ttl_seconds=LEASE)

    await harness.let_pass(LEASE)

    assert isinstance(await harness.store.begin(scope, FINGERPRINT, LONG_LEASE), Began)


@pytest.mark.parametrize("seconds", [0.0, -1.0, float("nan"), float("inf")])
async def test_given_a_lease_that_is_not_a_positive_duration_when_begun_then_it_is_a_bug(
    store: IdempotencyStore, scope: IdempotencyScope, seconds: float
) -> None:
    with pytest.raises(ValueError, match="lease_seconds"):
        await store.begin(scope, FINGERPRINT, seconds)
