"""The hold path's seat locks and GA counters in Redis: every change is one Lua script.

Per event (all under the hash tag ``{<event id>}``): ``seat:<id>`` holds the hold id and
expires with the hold; ``zone:<id>`` is a hash of capacity/held/sold; ``hold:<id>`` is
the hold's hash (token digest, organisation, seats, GA, times, state), kept as a
tombstone for a while after the hold ends; ``expiries`` is a sorted set of hold id by
expiry, which drives the sweeper; ``events`` is the availability stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from lml_seating.application.ports import (
    Acquired,
    Extended,
    LockConflict,
    LockRefused,
    LockTerms,
    Released,
    ZonesNotLoaded,
)
from lml_seating.domain import HoldScope, ZoneCounts
from lml_seating.infrastructure.hold_scripts import HoldScripts, milliseconds, refused
from lml_seating.infrastructure.redis_event_registry import RedisEventRegistry

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def moment(milliseconds: int) -> datetime:
    return EPOCH + timedelta(milliseconds=milliseconds)


class RedisHoldLocks:
    def __init__(self, scripts: HoldScripts, registry: RedisEventRegistry) -> None:
        self._scripts = scripts
        self._registry = registry

    async def acquire(
        self, lock: HoldScope, token_digest: bytes, terms: LockTerms
    ) -> Acquired | LockConflict | ZonesNotLoaded:
        reply = await self._scripts.run(
            "acquire_all_or_none",
            lock,
            token_digest=token_digest,
            ttl_ms=milliseconds(terms.ttl_seconds),
            lifetime_ms=milliseconds(terms.max_lifetime_seconds),
        )
        match reply:
            case [b"held", int(created), int(expires), int(max_expires)]:
                await self._registry.register(lock.event_id, created)
                return Acquired(
                    created_at=moment(created),
                    expires_at=moment(expires),
                    max_expires_at=moment(max_expires),
                )
            case [b"conflict", list(seats), list(zones)]:
                return LockConflict(
                    tuple(seat.decode() for seat in seats), tuple(zone.decode() for zone in zones)
                )
            case [b"zones_not_loaded", list(zones)]:
                return ZonesNotLoaded(tuple(zone.decode() for zone in zones))
        raise RuntimeError(f"unexpected reply from acquire_all_or_none: {reply!r}")

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        await self._scripts.load_zones(event_id, zones)

    async def extend(
        self, lock: HoldScope, token_digest: bytes, ttl_seconds: float
    ) -> Extended | LockRefused:
        reply = await self._scripts.run(
            "extend_if_owner", lock, token_digest=token_digest, ttl_ms=milliseconds(ttl_seconds)
        )
        match reply:
            case [b"extended", int(expires)]:
                return Extended(moment(expires))
            case [b"limit", int(max_expires)]:
                return LockRefused("limit", moment(max_expires))
        return refused("extend_if_owner", reply)

    async def release(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        reply = await self._scripts.run("release_if_owner", lock, token_digest=token_digest)
        return Released() if reply == [b"released"] else refused("release_if_owner", reply)

    async def rollback(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        reply = await self._scripts.run("rollback_if_owner", lock, token_digest=token_digest)
        return Released() if reply == [b"rolled_back"] else refused("rollback_if_owner", reply)
