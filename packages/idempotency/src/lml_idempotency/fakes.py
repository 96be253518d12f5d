"""An in-memory idempotency store that passes the same contract suite as Redis.

Each method runs without awaiting anything, so on one event loop every
transition is as atomic as the Redis scripts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from lml_clocks import MonotonicClock, SystemMonotonicClock
from lml_idempotency.durations import require_positive
from lml_idempotency.keys import IdempotencyScope, Lease
from lml_idempotency.outcomes import (
    Began,
    BeginOutcome,
    InFlight,
    Mismatch,
    Replay,
    StoredResponse,
    decode_response,
    encode_response,
)
from lml_idempotency.ports import DAY_SECONDS


@dataclass(slots=True)
class _Record:
    fingerprint: str
    expires_at: float
    lease_token: str | None
    response: bytes | None = None


class InMemoryIdempotencyStore:
    def __init__(self, clock: MonotonicClock | None = None) -> None:
        self._clock = clock or SystemMonotonicClock()
        self._records: dict[IdempotencyScope, _Record] = {}

    async def begin(
        self, scope: IdempotencyScope, fingerprint: str, lease_seconds: float
    ) -> BeginOutcome:
        require_positive("lease_seconds", lease_seconds)
        record = self._live(scope)
        if record is None:
            token = secrets.token_hex(16)
            expires_at = self._clock.seconds() + lease_seconds
            self._records[scope] = _Record(fingerprint, expires_at, token)
            return Began(Lease(scope, token))
        if record.fingerprint != fingerprint:
            return Mismatch()
        if record.response is not None:
            return Replay(decode_response(record.response))
        return InFlight()

    async def renew(self, lease: Lease, lease_seconds: float) -> bool:
        require_positive("lease_seconds", lease_seconds)
        record = self._owned(lease)
        if record is None:
            return False
        record.expires_at = self._clock.seconds() + lease_seconds
        return True

    async def complete(
        self, lease: Lease, response: StoredResponse, ttl_seconds: float = DAY_SECONDS
    ) -> bool:
        require_positive("ttl_seconds", ttl_seconds)
        record = self._owned(lease)
        if record is None:
            return False
        record.response = encode_response(response)
        record.lease_token = None
        record.expires_at = self._clock.seconds() + ttl_seconds
        return True

    async def release(self, lease: Lease) -> bool:
        if self._owned(lease) is None:
            return False
        del self._records[lease.scope]
        return True

    def _live(self, scope: IdempotencyScope) -> _Record | None:
        record = self._records.get(scope)
        if record is not None and record.expires_at <= self._clock.seconds():
            del self._records[scope]
            return None
        return record

    def _owned(self, lease: Lease) -> _Record | None:
        record = self._live(lease.scope)
        if record is None or record.lease_token != lease.token:
            return None
        return record
