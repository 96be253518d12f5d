"""An in-memory idempotency store that passes the same contract suite as Redis.

Each method runs without awaiting anything, so on one event loop every
transition is as atomic as the Redis scripts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from lml_idempotency.clock import MonotonicClock, SystemMonotonicClock
from lml_idempotency.durations import require_positive
from lml_idempotency.keys import IdempotencyScope
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
            return Began(token)
        if record.fingerprint != fingerprint:
            return Mismatch()
        if record.response is not None:
            return Replay(decode_response(record.response))
        return InFlight()

    async def renew(self, scope: IdempotencyScope, lease_token: str, lease_seconds: float) -> bool:
        require_positive("lease_seconds", lease_seconds)
        record = self._owned(scope, lease_token)
        if record is None:
            return False
        record.expires_at = self._clock.seconds() + lease_seconds
        return True

    async def complete(
        self,
        scope: IdempotencyScope,
        lease_token: str,
        response: StoredResponse,
        ttl_seconds: float = DAY_SECONDS,
    ) -> bool:
        require_positive("ttl_seconds", ttl_seconds)
        record = self._owned(scope, lease_token)
        if record is None:
            return False
        record.response = encode_response(response)
        record.lease_token = None
        record.expires_at = self._clock.seconds() + ttl_seconds
        return True

    async def release(self, scope: IdempotencyScope, lease_token: str) -> bool:
        if self._owned(scope, lease_token) is None:
            return False
        del self._records[scope]
        return True

    def _live(self, scope: IdempotencyScope) -> _Record | None:
        record = self._records.get(scope)
        if record is not None and record.expires_at <= self._clock.seconds():
            del self._records[scope]
            return None
        return record

    def _owned(self, scope: IdempotencyScope, lease_token: str) -> _Record | None:
        record = self._live(scope)
        if record is None or record.lease_token != lease_token:
            return None
        return record
