"""Inventory in PostgreSQL: ``lml.event_seats``, ``lml.event_zones`` and ``lml.holds``.

Every statement runs inside ``with_tenant``, so Row-Level Security keeps it in one
organisation. Every statement that locks more than one row locks them in one order (hold
records, then seats, then zones, each by event and id), so concurrent transactions never
deadlock. Takes, ends and refusal reads of one organisation are batched per process
(docs/decisions/0005-batched-hot-path.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec
from prometheus_client import Histogram

from lml_batching import Batcher
from lml_metrics import REGISTRY
from lml_postgres import AppPool, postgres_faults
from lml_result import Err, Ok, Result
from lml_seating.application.ports import (
    HoldLock,
    InventoryRefusal,
    InventorySnapshot,
    OverdueHold,
    StoredHold,
)
from lml_seating.domain import (
    GaQuantity,
    Hold,
    HoldStatus,
    SeatInventory,
    ZoneCounts,
)
from lml_tenancy import with_tenant

BATCH_SIZE = Histogram(
    "lml_seating_inventory_batch_size",
    "Holds taken (take) or ended (end), or refused locks read (refusal), that shared one"
    " PostgreSQL transaction.",
    ("operation",),
    registry=REGISTRY,
    buckets=(1, 2, 4, 8, 16, 32, 64),
)
_take_batch_size = BATCH_SIZE.labels("take")
_refusal_batch_size = BATCH_SIZE.labels("refusal")
_end_batch_size = BATCH_SIZE.labels("end")

_json = msgspec.json.Encoder()
_ga = msgspec.json.Decoder(tuple[GaQuantity, ...])

# Every hold one API process has waiting goes in one transaction (lml_batching); the
# function takes each hold's seats and places all or nothing (migrations/0005).
TAKE_HOLDS = """
select hold, unknown_seats, unavailable_seats, short_zones from lml.take_holds(%s::jsonb)
"""

# What stands in the way of a batch of refused locks: each seat's state and channel, each
# zone's room. Arrays keep the lookups on the primary keys; a lock's own seats are
# picked out in Python.
SEAT_STATES = """
select event_id, seat_id,
       status = 'available' or (status = 'held' and hold_expires_at <= now()),
       sales_channel_id
from lml.event_seats
where event_id = any(%(events)s::text[]) and seat_id = any(%(seats)s::text[])
"""

ZONE_ROOM = """
select event_id, zone_id, capacity - held - sold from lml.event_zones
where event_id = any(%(events)s::text[]) and zone_id = any(%(zones)s::text[])
"""

EXTEND = """
with extended as (
    update lml.holds set expires_at = %(expires)s
    where id = %(hold)s and status = 'active' and token_hash = %(token_hash)s
    returning event_id, seat_ids
),
locked as materialized (
    select seat_id from lml.event_seats s, extended
    where s.event_id = extended.event_id and s.seat_id = any(extended.seat_ids)
      and s.hold_id = %(hold)s
    order by seat_id
    for update of s
),
moved as (
    update lml.event_seats s
    set hold_expires_at = %(expires)s, version = s.version + 1
    from locked, extended
    where s.event_id = extended.event_id and s.seat_id = locked.seat_id
)
select count(*) from extended
"""

# Ends every hold of the batch it can (migrations/0005): with a token digest only that
# token's hold before it expires, without any active hold; each row is an ended hold as it
# was, with its place in the batch.
END_HOLDS = """
select id, tenant_id, event_id, seat_ids, ga, sales_channel_id, status, created_at,
       expires_at, max_expires_at, n
from lml.end_holds(%s::jsonb)
"""

FIND = """
select id, tenant_id, event_id, seat_ids, ga::text, sales_channel_id, status,
       created_at, expires_at, max_expires_at, token_hash
from lml.holds where id = %s
"""

# An event's terms are catalog's: read as it publishes them (migrations/0007).
EVENT_CHANNELS = """
select sales_channel_ids from lml.event_hold_terms where event_id = %s
"""

SNAPSHOT_SEATS = """
select seat_id,
       case when status = 'held' and hold_expires_at <= %(now)s then 'available' else status end,
       price_category, sales_channel_id
from lml.event_seats where event_id = %(event)s
order by seat_id
"""

ZONES = """
select zone_id, capacity, held, sold from lml.event_zones
where event_id = %(event)s and (%(zones)s::text[] is null or zone_id = any(%(zones)s::text[]))
order by zone_id
"""


class _HoldRow(msgspec.Struct, frozen=True, kw_only=True):
    """A hold as ``lml.take_holds`` reads it from its JSON argument."""

    tenant_id: str
    id: str
    event_id: str
    token_hash: str
    sales_channel_id: str | None
    seat_ids: tuple[str, ...]
    ga: tuple[GaQuantity, ...]
    created_at: datetime
    expires_at: datetime
    max_expires_at: datetime

    @classmethod
    def of(cls, hold: Hold, token_hash: bytes) -> _HoldRow:
        return cls(
            tenant_id=hold.tenant_id,
            id=hold.id,
            event_id=hold.event_id,
            token_hash=token_hash.hex(),
            sales_channel_id=hold.sales_channel_id,
            seat_ids=hold.seat_ids,
            ga=hold.ga,
            created_at=hold.created_at,
            expires_at=hold.expires_at,
            max_expires_at=hold.max_expires_at,
        )


class _EndRow(msgspec.Struct, frozen=True, kw_only=True):
    """An end as ``lml.end_holds`` reads it from its JSON argument."""

    id: str
    status: str
    at: datetime
    token_hash: str | None


class PostgresInventory:
    """Concurrent takes of one organisation share a transaction (see ``TAKE_HOLDS``), and
    so do concurrent ends (releases, expiries) and refusal reads; ``batch_size`` bounds
    how many."""

    def __init__(self, pool: AppPool, *, batch_size: int = 64) -> None:
        self._pool = pool
        self._takes = Batcher(self._take_batch, max_size=batch_size)
        self._refusals = Batcher(self._refusal_batch, max_size=batch_size)
        self._ends = Batcher(self._end_batch, max_size=batch_size)

    async def take(self, hold: Hold, token_hash: bytes) -> Result[None, InventoryRefusal]:
        refusal = await self._takes.submit(hold.tenant_id, _HoldRow.of(hold, token_hash))
        return Err(refusal) if refusal else Ok(None)

    async def _take_batch(self, tenant_id: str, holds: list[_HoldRow]) -> list[InventoryRefusal]:
        _take_batch_size.observe(len(holds))
        rows = await self._call(tenant_id, TAKE_HOLDS, holds)
        outcomes = {
            row[0]: InventoryRefusal(
                unknown_seat_ids=tuple(row[1]),
                seat_ids=tuple(row[2]),
                zone_ids=tuple(row[3]),
            )
            for row in rows
        }
        return [outcomes[hold.id] for hold in holds]

    async def _call(
        self, tenant_id: str, function: str, batch: Sequence[msgspec.Struct]
    ) -> list[tuple[Any, ...]]:
        """The rows a batch function answers for its JSON argument."""
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(function, (_json.encode(batch).decode(),))
            return await cursor.fetchall()

    async def refusal(self, lock: HoldLock) -> InventoryRefusal:
        return await self._refusals.submit(lock.tenant_id, lock)

    async def _refusal_batch(self, tenant_id: str, locks: list[HoldLock]) -> list[InventoryRefusal]:
        _refusal_batch_size.observe(len(locks))
        params = {
            "events": list({lock.event_id for lock in locks}),
            "seats": list({seat for lock in locks for seat in lock.seat_ids}),
            "zones": list({item.zone_id for lock in locks for item in lock.ga}),
        }
        seats: dict[tuple[str, str], tuple[bool, str | None]] = {}
        room: dict[tuple[str, str], int] = {}
        async with with_tenant(self._pool, tenant_id) as conn:
            if params["seats"]:
                cursor = await conn.execute(SEAT_STATES, params)
                seats.update(
                    ((row[0], row[1]), (row[2], row[3])) for row in await cursor.fetchall()
                )
            if params["zones"]:
                cursor = await conn.execute(ZONE_ROOM, params)
                room.update(((row[0], row[1]), row[2]) for row in await cursor.fetchall())
        return [_refusal_of(lock, seats, room) for lock in locks]

    async def zone_counts(
        self, tenant_id: str, event_id: str, zone_ids: Sequence[str]
    ) -> Sequence[ZoneCounts]:
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(ZONES, {"event": event_id, "zones": list(zone_ids)})
            rows = await cursor.fetchall()
        return [_zone(row) for row in rows]

    async def find(self, tenant_id: str, hold_id: str) -> StoredHold | None:
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(FIND, (hold_id,))
            row = await cursor.fetchone()
        if row is None:
            return None
        return StoredHold(_hold(row), bytes(row[10]))

    async def extend(
        self, tenant_id: str, hold_id: str, token_hash: bytes, expires_at: datetime
    ) -> bool:
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(
                EXTEND, {"hold": hold_id, "token_hash": token_hash, "expires": expires_at}
            )
            row = await cursor.fetchone()
        return row is not None and row[0] == 1

    async def end(self, tenant_id: str, hold_id: str, status: HoldStatus, at: datetime) -> bool:
        return await self._end(tenant_id, hold_id, status, at, None) is not None

    async def release(
        self, tenant_id: str, hold_id: str, token_hash: bytes, at: datetime
    ) -> Hold | None:
        return await self._end(tenant_id, hold_id, HoldStatus.RELEASED, at, token_hash)

    async def _end(
        self,
        tenant_id: str,
        hold_id: str,
        status: HoldStatus,
        at: datetime,
        token_hash: bytes | None,
    ) -> Hold | None:
        end = _EndRow(
            id=hold_id,
            status=status.value,
            at=at,
            token_hash=None if token_hash is None else token_hash.hex(),
        )
        return await self._ends.submit(tenant_id, end)

    async def _end_batch(self, tenant_id: str, ends: list[_EndRow]) -> list[Hold | None]:
        _end_batch_size.observe(len(ends))
        rows = await self._call(tenant_id, END_HOLDS, ends)
        ended = {row[10]: _hold(row) for row in rows}
        return [ended.get(n) for n in range(1, len(ends) + 1)]

    async def snapshot(
        self, tenant_id: str, event_id: str, now: datetime
    ) -> InventorySnapshot | None:
        params = {"event": event_id, "now": now, "zones": None}
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(EVENT_CHANNELS, (event_id,))
            channels = await cursor.fetchone()
            if channels is None:
                return None
            cursor = await conn.execute(SNAPSHOT_SEATS, params)
            seats = await cursor.fetchall()
            cursor = await conn.execute(ZONES, params)
            zones = await cursor.fetchall()
        return InventorySnapshot(
            seats=tuple(
                SeatInventory(
                    seat_id=row[0], status=row[1], price_category=row[2], sales_channel_id=row[3]
                )
                for row in seats
            ),
            zones=tuple(_zone(row) for row in zones),
            sales_channels=frozenset(channels[0]),
        )

    async def overdue(self, grace_seconds: float, limit: int) -> Sequence[OverdueHold]:
        # Across organisations, so outside with_tenant: the function returns ids only.
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = await conn.execute(
                    "select tenant_id, event_id, hold_id from lml.overdue_holds(%s, %s)",
                    (timedelta(seconds=grace_seconds), limit),
                )
                rows = await cursor.fetchall()
        return [OverdueHold(tenant_id=row[0], event_id=row[1], hold_id=row[2]) for row in rows]


def _refusal_of(
    lock: HoldLock,
    seats: dict[tuple[str, str], tuple[bool, str | None]],
    room: dict[tuple[str, str], int],
) -> InventoryRefusal:
    def takeable(seat_id: str) -> bool:
        free, channel = seats[lock.event_id, seat_id]
        return free and channel in (None, lock.sales_channel_id)

    known = [seat for seat in lock.seat_ids if (lock.event_id, seat) in seats]
    return InventoryRefusal(
        unknown_seat_ids=tuple(
            seat for seat in lock.seat_ids if (lock.event_id, seat) not in seats
        ),
        seat_ids=tuple(seat for seat in known if not takeable(seat)),
        zone_ids=tuple(
            item.zone_id
            for item in lock.ga
            if room.get((lock.event_id, item.zone_id), 0) < item.quantity
        ),
    )


def _hold(row: tuple[Any, ...]) -> Hold:
    return Hold(
        id=row[0],
        tenant_id=row[1],
        event_id=row[2],
        seat_ids=tuple(row[3]),
        ga=_ga.decode(row[4]),
        sales_channel_id=row[5],
        status=HoldStatus(row[6]),
        created_at=row[7],
        expires_at=row[8],
        max_expires_at=row[9],
    )


def _zone(row: tuple[Any, ...]) -> ZoneCounts:
    return ZoneCounts(zone_id=row[0], capacity=row[1], held=row[2], sold=row[3])
