"""Counts what the lock store answers, the same way whichever store is wrapped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from prometheus_client import Counter

from lml_metrics import REGISTRY
from lml_seating.application.ports import (
    Acquired,
    Expired,
    ExpiryQueue,
    Extended,
    HoldLocks,
    LockConflict,
    LockRefused,
    LockTerms,
    NotDue,
    Released,
    ZonesNotLoaded,
)
from lml_seating.domain import HoldScope, ZoneCounts

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


Outcome = TypeVar("Outcome")


# What each call counts, by the outcome it answered (a release and a rollback both answer
# Released); built once, not on every call of the hold path.
_ACQUIRES: dict[type, Counter] = {Acquired: HOLDS_CREATED, LockConflict: CONFLICTS}
_EXTENDS: dict[type, Counter] = {Extended: EXTENDS}
_RELEASES: dict[type, Counter] = {Released: RELEASES}
_ROLLBACKS: dict[type, Counter] = {Released: ROLLBACKS}
_EXPIRIES: dict[type, Counter] = {Expired: EXPIRIES}


def _counted(outcome: Outcome, counters: dict[type, Counter]) -> Outcome:
    counter = counters.get(type(outcome))
    if counter is not None:
        counter.inc()
    return outcome


class MeteredHoldLocks:
    def __init__(self, locks: HoldLocks) -> None:
        self._locks = locks

    async def acquire(
        self, lock: HoldScope, token_digest: bytes, terms: LockTerms
    ) -> Acquired | LockConflict | ZonesNotLoaded:
        outcome = await self._locks.acquire(lock, token_digest, terms)
        return _counted(outcome, _ACQUIRES)

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        await self._locks.load_zones(event_id, zones)

    async def extend(
        self, lock: HoldScope, token_digest: bytes, ttl_seconds: float
    ) -> Extended | LockRefused:
        outcome = await self._locks.extend(lock, token_digest, ttl_seconds)
        return _counted(outcome, _EXTENDS)

    async def release(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        return _counted(await self._locks.release(lock, token_digest), _RELEASES)

    async def rollback(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        return _counted(await self._locks.rollback(lock, token_digest), _ROLLBACKS)


class MeteredExpiryQueue:
    def __init__(self, queue: ExpiryQueue) -> None:
        self._queue = queue

    async def due(self, limit: int) -> Sequence[HoldScope]:
        return await self._queue.due(limit)

    async def expire(self, lock: HoldScope) -> Expired | NotDue | LockRefused:
        return _counted(await self._queue.expire(lock), _EXPIRIES)
