"""Idempotency keys: parse the header, scope and fingerprint a request, lease and replay.

A middleware uses it in a few lines::

    key = parse_idempotency_key(header)  # Err -> 400
    scope = IdempotencyScope(org, principal, method, route_template, key.value)
    match await store.begin(scope, fingerprint(method, path, body), lease_seconds=30):
        case Replay(response): ...  # send it with Idempotent-Replayed: true
        case InFlight(): ...  # 202 {"status": "in_progress"}, Retry-After: 1
        case Mismatch(): ...  # 409 idempotency-key-reuse
        case Began(lease):
            async with renewing(store, lease, 30):
                response = await handler()
            if response.status >= 500: await store.release(lease)
            else: await store.complete(lease, StoredResponse(...))
"""

from typing import TYPE_CHECKING

from lml_clocks import MonotonicClock, SystemMonotonicClock
from lml_idempotency.fakes import InMemoryIdempotencyStore
from lml_idempotency.fingerprint import canonical_json, fingerprint
from lml_idempotency.keys import IdempotencyScope, InvalidKey, Lease, parse_idempotency_key
from lml_idempotency.lease import release_soon, renewing
from lml_idempotency.metered import MeteredIdempotencyStore
from lml_idempotency.outcomes import (
    Began,
    BeginOutcome,
    InFlight,
    Mismatch,
    Replay,
    StoredResponse,
)
from lml_idempotency.ports import DAY_SECONDS, IdempotencyStore
from lml_idempotency.redis_store import RedisIdempotencyStore

if TYPE_CHECKING:

    def _every_store_fits_the_port(
        memory: InMemoryIdempotencyStore,
        redis: RedisIdempotencyStore,
        metered: MeteredIdempotencyStore,
    ) -> list[IdempotencyStore]:
        return [memory, redis, metered]


__all__ = [
    "DAY_SECONDS",
    "Began",
    "BeginOutcome",
    "IdempotencyScope",
    "IdempotencyStore",
    "InFlight",
    "InMemoryIdempotencyStore",
    "InvalidKey",
    "Lease",
    "MeteredIdempotencyStore",
    "Mismatch",
    "MonotonicClock",
    "RedisIdempotencyStore",
    "Replay",
    "StoredResponse",
    "SystemMonotonicClock",
    "canonical_json",
    "fingerprint",
    "parse_idempotency_key",
    "release_soon",
    "renewing",
]
