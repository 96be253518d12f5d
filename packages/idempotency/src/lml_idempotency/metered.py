"""Counts what the idempotency store answers, the same way whichever store is wrapped.

Every ``begin`` lands in exactly one of begin (leased), hit_cached (replayed),
in_progress (202) or conflict (409), so their sum is the number of keyed requests.
"""

from __future__ import annotations

from prometheus_client import Counter

from lml_idempotency.keys import IdempotencyScope, Lease
from lml_idempotency.outcomes import Began, BeginOutcome, InFlight, Mismatch, Replay, StoredResponse
from lml_idempotency.ports import DAY_SECONDS, IdempotencyStore
from lml_metrics import REGISTRY

BEGUN = Counter(
    "lml_idempotency_begin_total",
    "Idempotency keys leased to a request that will now run.",
    registry=REGISTRY,
)
COMMITTED = Counter(
    "lml_idempotency_commit_total",
    "Responses stored for replay by the request holding the lease.",
    registry=REGISTRY,
)
REPLAYED = Counter(
    "lml_idempotency_hit_cached_total",
    "Requests answered with a stored response.",
    registry=REGISTRY,
)
CONFLICTS = Counter(
    "lml_idempotency_conflict_total",
    "Requests reusing a key with a different body or path.",
    registry=REGISTRY,
)
IN_PROGRESS = Counter(
    "lml_idempotency_in_progress_total",
    "Requests whose key was still leased to an earlier identical request.",
    registry=REGISTRY,
)


class MeteredIdempotencyStore:
    def __init__(self, store: IdempotencyStore) -> None:
        self._store = store

    async def begin(
        self, scope: IdempotencyScope, fingerprint: str, lease_seconds: float
    ) -> BeginOutcome:
        outcome = await self._store.begin(scope, fingerprint, lease_seconds)
        match outcome:
            case Began():
                BEGUN.inc()
            case Replay():
                REPLAYED.inc()
            case InFlight():
                IN_PROGRESS.inc()
            case Mismatch():
                CONFLICTS.inc()
        return outcome

    async def renew(self, lease: Lease, lease_seconds: float) -> bool:
        return await self._store.renew(lease, lease_seconds)

    async def complete(
        self, lease: Lease, response: StoredResponse, ttl_seconds: float = DAY_SECONDS
    ) -> bool:
        completed = await self._store.complete(lease, response, ttl_seconds)
        if completed:
            COMMITTED.inc()
        return completed

    async def release(self, lease: Lease) -> bool:
        return await self._store.release(lease)
