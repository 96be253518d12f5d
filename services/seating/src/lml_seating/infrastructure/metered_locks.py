"""Counts what the seat locks answer, the same way whichever lock store is wrapped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from prometheus_client import Counter

from lml_metrics import REGISTRY
from lml_seating.application.ports import (
    Acquired,
    Expired,
    Extended,
    HoldLock,
    LockConflict,
    LockRefused,
    NotDue,
    Released,
    SeatLocks,
    ZonesNotLoaded,
)
from lml_seating.domain import ZoneCounts

HOLDS_CREATED = Counter(
    "lml_seating_holds_created_total",
    "Holds whose seats and places were all acquired (rolled-back ones included).",
    registry=REGISTRY,
)
CONFLICTS = Counter(
    "lml_seating_hold_conflicts_total",
    "Hold attempts refused because a seat or GA place was taken.",
    registry=REGISTRY,
)
EXTENDS = Counter("lml_seating_hold_extends_total", "Holds extended.", registry=REGISTRY)
RELEASES = Counter(
    "lml_seating_hold_releases_total", "Holds released by their owner.", registry=REGISTRY
)
EXPIRIES = Counter(
    "lml_seating_hold_expiries_total", "Holds ended by the sweeper.", registry=REGISTRY
)
ROLLBACKS = Counter(
    "lml_seating_hold_rollbacks_total",
    "Acquired holds undone because PostgreSQL refused or failed to record them.",
    registry=REGISTRY,
)


class MeteredSeatLocks:
    def __init__(self, locks: SeatLocks) -> None:
        self._locks = locks

    async def acquire(
        self,
        lock: HoldLock,
        token_digest: bytes,
        *,
        ttl_seconds: float,
        max_lifetime_seconds: float,
    ) -> Acquired | LockConflict | ZonesNotLoaded:
        outcome = await self._locks.acquire(
            lock, token_digest, ttl_seconds=ttl_seconds, max_lifetime_seconds=max_lifetime_seconds
        )
        if isinstance(outcome, Acquired):
            HOLDS_CREATED.inc()
        elif isinstance(outcome, LockConflict):
            CONFLICTS.inc()
        return outcome

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        await self._locks.load_zones(event_id, zones)

    async def extend(
        self, lock: HoldLock, token_digest: bytes, *, ttl_seconds: float
    ) -> Extended | LockRefused:
        outcome = await self._locks.extend(lock, token_digest, ttl_seconds=ttl_seconds)
        if isinstance(outcome, Extended):
            EXTENDS.inc()
        return outcome

    async def release(self, lock: HoldLock, token_digest: bytes) -> Released | LockRefused:
        outcome = await self._locks.release(lock, token_digest)
        if isinstance(outcome, Released):
            RELEASES.inc()
        return outcome

    async def rollback(self, lock: HoldLock, token_digest: bytes) -> Released | LockRefused:
        outcome = await self._locks.rollback(lock, token_digest)
        if isinstance(outcome, Released):
            ROLLBACKS.inc()
        return outcome

    async def expire(self, lock: HoldLock) -> Expired | NotDue | LockRefused:
        outcome = await self._locks.expire(lock)
        if isinstance(outcome, Expired):
            EXPIRIES.inc()
        return outcome

    async def due(self, limit: int) -> Sequence[HoldLock]:
        return await self._locks.due(limit)

    async def holders(self, event_id: str, seat_ids: Sequence[str]) -> Mapping[str, str]:
        return await self._locks.holders(event_id, seat_ids)

    async def zones(self, event_id: str, zone_ids: Sequence[str]) -> Mapping[str, ZoneCounts]:
        return await self._locks.zones(event_id, zone_ids)
