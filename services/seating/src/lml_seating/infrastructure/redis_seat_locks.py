"""Seat locks and GA counters in Redis: every change is one Lua script, all or nothing.

Per event (all under the hash tag ``{<event id>}``): ``seat:<id>`` holds the hold id and
expires with the hold; ``zone:<id>`` is a hash of capacity/held/sold; ``hold:<id>`` is
the hold's hash (token digest, tenant, seats, GA, times, state), kept as a tombstone for
a while after the hold ends; ``expiries`` is a sorted set of hold id by expiry, which
drives the sweeper; ``events`` is the availability stream.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

import msgspec
from redis.asyncio import Redis

from lml_redis_scripts import LuaScript, redis_faults
from lml_seating.application.ports import (
    Acquired,
    Expired,
    Extended,
    HoldLock,
    LockConflict,
    LockProblem,
    LockRefused,
    NotDue,
    Released,
    ZonesNotLoaded,
)
from lml_seating.domain import GaQuantity, ZoneCounts
from lml_seating.infrastructure.redis_availability_events import RedisAvailabilityEvents
from lml_seating.infrastructure.script_timing import timed

# An ended hold's tombstone outlives any late caller: its owner retrying, or a sweeper.
TOMBSTONE_SECONDS = 3_600
# An event is re-registered for the sweeper at most this often per process.
REGISTER_EVERY_SECONDS = 10.0
MGET_BATCH = 2_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_json = msgspec.json.Encoder()
_ga_decoder = msgspec.json.Decoder(tuple[GaQuantity, ...])
_seats_decoder = msgspec.json.Decoder(tuple[str, ...])


def _script(client: Redis, name: str, *, prelude: bool = True) -> LuaScript:
    paths = ["scripts/prelude.lua"] if prelude else []
    return LuaScript.load(client, "lml_seating.infrastructure", *paths, f"scripts/{name}")


def _moment(milliseconds: int) -> datetime:
    return EPOCH + timedelta(milliseconds=milliseconds)


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class RedisSeatLocks:
    """``max_lifetime_seconds`` bounds how long the sweeper must keep visiting an event."""

    def __init__(
        self, client: Redis, events: RedisAvailabilityEvents, *, max_lifetime_seconds: float
    ) -> None:
        self._client = client
        self._events = events
        self._keys = events.keys
        self._registry_window_ms = _milliseconds(
            max_lifetime_seconds + TOMBSTONE_SECONDS + REGISTER_EVERY_SECONDS
        )
        self._registered: dict[str, float] = {}
        self._acquire = _script(client, "acquire_all_or_none.lua")
        self._extend = _script(client, "extend_if_owner.lua")
        self._release = _script(client, "release_if_owner.lua")
        self._rollback = _script(client, "rollback_if_owner.lua")
        self._expire = _script(client, "expire_if_due.lua")
        self._load_zones = _script(client, "load_zones.lua", prelude=False)

    async def acquire(
        self,
        lock: HoldLock,
        token_digest: bytes,
        *,
        ttl_seconds: float,
        max_lifetime_seconds: float,
    ) -> Acquired | LockConflict | ZonesNotLoaded:
        reply = await self._run(
            "acquire_all_or_none",
            self._acquire,
            lock,
            token_digest=token_digest,
            ttl_ms=_milliseconds(ttl_seconds),
            lifetime_ms=_milliseconds(max_lifetime_seconds),
        )
        match reply:
            case [b"held", int(created), int(expires), int(max_expires)]:
                await self._register(lock.event_id, created)
                return Acquired(
                    created_at=_moment(created),
                    expires_at=_moment(expires),
                    max_expires_at=_moment(max_expires),
                )
            case [b"conflict", list(seats), list(zones)]:
                return LockConflict(
                    tuple(seat.decode() for seat in seats), tuple(zone.decode() for zone in zones)
                )
            case [b"zones_not_loaded", list(zones)]:
                return ZonesNotLoaded(tuple(zone.decode() for zone in zones))
        raise RuntimeError(f"unexpected reply from acquire_all_or_none: {reply!r}")

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        if not zones:
            return
        keys = [self._keys.zone(event_id, zone.zone_id) for zone in zones]
        args = [count for zone in zones for count in (zone.capacity, zone.held, zone.sold)]
        with timed("load_zones"), redis_faults():
            await self._load_zones(keys=keys, args=args)

    async def extend(
        self, lock: HoldLock, token_digest: bytes, *, ttl_seconds: float
    ) -> Extended | LockRefused:
        reply = await self._run(
            "extend_if_owner",
            self._extend,
            lock,
            token_digest=token_digest,
            ttl_ms=_milliseconds(ttl_seconds),
        )
        match reply:
            case [b"extended", int(expires)]:
                return Extended(_moment(expires))
            case [b"limit", int(max_expires)]:
                return LockRefused("limit", _moment(max_expires))
        return _refused("extend_if_owner", reply)

    async def release(self, lock: HoldLock, token_digest: bytes) -> Released | LockRefused:
        reply = await self._run("release_if_owner", self._release, lock, token_digest=token_digest)
        return Released() if reply == [b"released"] else _refused("release_if_owner", reply)

    async def rollback(self, lock: HoldLock, token_digest: bytes) -> Released | LockRefused:
        reply = await self._run(
            "rollback_if_owner", self._rollback, lock, token_digest=token_digest
        )
        return Released() if reply == [b"rolled_back"] else _refused("rollback_if_owner", reply)

    async def expire(self, lock: HoldLock) -> Expired | NotDue | LockRefused:
        reply = await self._run("expire_if_due", self._expire, lock)
        if reply == [b"expired"]:
            return Expired()
        if reply == [b"not_due"]:
            return NotDue()
        return _refused("expire_if_due", reply)

    async def due(self, limit: int) -> Sequence[HoldLock]:
        with redis_faults():
            seconds, micros = await self._client.time()
            now = seconds * 1000 + micros // 1000
            horizon = now - self._registry_window_ms
            registered = cast(
                "list[bytes]",
                await self._client.zrangebyscore(self._keys.registry, horizon, "+inf"),
            )
            events = [event.decode() for event in registered]
            await self._client.zremrangebyscore(self._keys.registry, "-inf", f"({horizon}")
            if not events:
                return []
            async with self._client.pipeline(transaction=False) as pipe:
                for event_id in events:
                    pipe.zrangebyscore(self._keys.expiries(event_id), "-inf", now, 0, limit)
                due_ids: list[list[bytes]] = await pipe.execute()
            pairs = [
                (event_id, hold_id.decode())
                for event_id, hold_ids in zip(events, due_ids, strict=True)
                for hold_id in hold_ids
            ][:limit]
            async with self._client.pipeline(transaction=False) as pipe:
                for event_id, hold_id in pairs:
                    pipe.hmget(
                        self._keys.hold(event_id, hold_id), "tenant", "seats", "ga", "channel"
                    )
                records: list[list[bytes | None]] = await pipe.execute()
        locks = []
        for (event_id, hold_id), (tenant, seats, ga, channel) in zip(pairs, records, strict=True):
            if tenant is None or seats is None or ga is None or channel is None:
                # The hold's hash outlived its retention: nothing is left to free.
                with redis_faults():
                    await self._client.zrem(self._keys.expiries(event_id), hold_id)
                continue
            locks.append(
                HoldLock(
                    tenant_id=tenant.decode(),
                    event_id=event_id,
                    hold_id=hold_id,
                    seat_ids=_seats_decoder.decode(seats),
                    ga=_ga_decoder.decode(ga),
                    sales_channel_id=channel.decode() or None,
                )
            )
        return locks

    async def holders(self, event_id: str, seat_ids: Sequence[str]) -> Mapping[str, str]:
        owners: dict[str, str] = {}
        with redis_faults():
            for start in range(0, len(seat_ids), MGET_BATCH):
                batch = seat_ids[start : start + MGET_BATCH]
                values = cast(
                    "list[bytes | None]",
                    await self._client.mget([self._keys.seat(event_id, s) for s in batch]),
                )
                owners.update(
                    (seat, value.decode())
                    for seat, value in zip(batch, values, strict=True)
                    if value is not None
                )
        return owners

    async def zones(self, event_id: str, zone_ids: Sequence[str]) -> Mapping[str, ZoneCounts]:
        if not zone_ids:
            return {}
        with redis_faults():
            async with self._client.pipeline(transaction=False) as pipe:
                for zone_id in zone_ids:
                    pipe.hmget(self._keys.zone(event_id, zone_id), "capacity", "held", "sold")
                rows: list[list[bytes | None]] = await pipe.execute()
        return {
            zone_id: ZoneCounts(
                zone_id=zone_id, capacity=int(capacity), held=int(held), sold=int(sold)
            )
            for zone_id, (capacity, held, sold) in zip(zone_ids, rows, strict=True)
            if capacity is not None and held is not None and sold is not None
        }

    async def _run(
        self,
        name: str,
        script: LuaScript,
        lock: HoldLock,
        *,
        token_digest: bytes = b"",
        ttl_ms: int = 0,
        lifetime_ms: int = 0,
    ) -> object:
        keys = self._keys
        event_id = lock.event_id
        script_keys = [
            keys.hold(event_id, lock.hold_id),
            keys.expiries(event_id),
            keys.stream(event_id),
            *(keys.seat(event_id, seat) for seat in lock.seat_ids),
            *(keys.zone(event_id, item.zone_id) for item in lock.ga),
        ]
        args: list[str | bytes | int] = [
            lock.hold_id,
            event_id,
            len(lock.seat_ids),
            self._events.max_length,
            _json.encode(lock.seat_ids),
            _json.encode(lock.ga),
            lock.sales_channel_id or "",
            TOMBSTONE_SECONDS * 1000,
            token_digest.hex(),
            ttl_ms,
            lifetime_ms,
            lock.tenant_id,
            *lock.seat_ids,
            *(item.zone_id for item in lock.ga),
            *(item.quantity for item in lock.ga),
        ]
        with timed(name), redis_faults():
            return await script(keys=script_keys, args=args)

    async def _register(self, event_id: str, now_ms: int) -> None:
        """Tell the sweeper this event has holds; at most every few seconds per process."""
        last = self._registered.get(event_id)
        moment = time.monotonic()
        if last is not None and moment - last < REGISTER_EVERY_SECONDS:
            return
        with redis_faults():
            await self._client.zadd(self._keys.registry, {event_id: now_ms})
        self._registered[event_id] = moment


def _refused(script: str, reply: object) -> LockRefused:
    match reply:
        case [b"missing"]:
            reason: LockProblem = "missing"
        case [b"ended"]:
            reason = "ended"
        case [b"token"]:
            reason = "token"
        case [b"expired"]:
            reason = "expired"
        case _:
            raise RuntimeError(f"unexpected reply from {script}: {reply!r}")
    return LockRefused(reason)
