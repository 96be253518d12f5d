"""Inventory in PostgreSQL: ``lml.event_seats``, ``lml.event_zones`` and ``lml.holds``.

Every statement runs inside ``with_tenant``, so Row-Level Security keeps it in one
organisation. Rows are locked in sorted id order (seats, then zones) by every statement
that locks more than one, so concurrent holds never deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec

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

_json = msgspec.json.Encoder()
_ga = msgspec.json.Decoder(tuple[GaQuantity, ...])

TAKE_SEATS_AND_RECORD = """
with locked as materialized (
    select seat_id from lml.event_seats
    where event_id = %(event)s and seat_id = any(%(seats)s::text[])
    order by seat_id
    for update
),
taken as (
    update lml.event_seats s
    set status = 'held', hold_id = %(hold)s, hold_expires_at = %(expires)s,
        version = s.version + 1
    from locked
    where s.event_id = %(event)s and s.seat_id = locked.seat_id
      and (s.status = 'available' or (s.status = 'held' and s.hold_expires_at <= %(now)s))
      and (s.sales_channel_id is null or s.sales_channel_id = %(channel)s)
    returning s.seat_id
),
recorded as (
    insert into lml.holds (tenant_id, id, event_id, token_hash, sales_channel_id, seat_ids, ga,
                           created_at, expires_at, max_expires_at)
    values (%(tenant)s, %(hold)s, %(event)s, %(token_hash)s, %(channel)s, %(seats)s::text[],
            %(ga)s::jsonb, %(now)s, %(expires)s, %(max_expires)s)
)
select count(*) from taken
"""

TAKE_ZONES = """
with locked as materialized (
    select zone_id from lml.event_zones
    where event_id = %(event)s and zone_id = any(%(zones)s::text[])
    order by zone_id
    for update
)
update lml.event_zones z
set held = z.held + wanted.quantity, version = z.version + 1
from locked
join unnest(%(zones)s::text[], %(quantities)s::int[]) as wanted (zone_id, quantity)
    using (zone_id)
where z.event_id = %(event)s and z.zone_id = locked.zone_id
  and z.held + z.sold + wanted.quantity <= z.capacity
returning z.zone_id
"""

SEAT_OWNERS = """
select seat_id, hold_id is not distinct from %(hold)s from lml.event_seats
where event_id = %(event)s and seat_id = any(%(seats)s::text[])
"""

TAKEABLE_SEATS = """
select seat_id,
       (status = 'available' or (status = 'held' and hold_expires_at <= now()))
       and (sales_channel_id is null or sales_channel_id = %(channel)s)
from lml.event_seats
where event_id = %(event)s and seat_id = any(%(seats)s::text[])
"""

ZONE_ROOM = """
select zone_id, capacity - held - sold from lml.event_zones
where event_id = %(event)s and zone_id = any(%(zones)s::text[])
"""

EXTEND = """
with extended as (
    update lml.holds set expires_at = %(expires)s
    where id = %(hold)s and status = 'active'
    returning event_id
),
locked as materialized (
    select seat_id from lml.event_seats s, extended
    where s.event_id = extended.event_id and s.hold_id = %(hold)s
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

# Ends an active hold (only with its token, before it expires, when a token digest is
# given), then frees what it still holds: its seats, then its GA places, each locked in
# id order. Returns the hold as it was.
END = """
with ended as (
    update lml.holds set status = %(status)s, ended_at = %(at)s
    where id = %(hold)s and status = 'active'
      and (%(token_hash)s::bytea is null
           or (token_hash = %(token_hash)s and expires_at > %(at)s))
    returning id, tenant_id, event_id, seat_ids, ga, sales_channel_id, created_at, expires_at,
              max_expires_at
),
seats as materialized (
    select s.seat_id from lml.event_seats s, ended
    where s.event_id = ended.event_id and s.hold_id = %(hold)s
    order by s.seat_id
    for update of s
),
freed as (
    update lml.event_seats s
    set status = 'available', hold_id = null, hold_expires_at = null, version = s.version + 1
    from seats, ended
    where s.event_id = ended.event_id and s.seat_id = seats.seat_id
),
places as (
    select g.zone_id, g.quantity, ended.event_id
    from ended, jsonb_to_recordset(ended.ga) as g (zone_id text, quantity int)
),
zones as materialized (
    select z.zone_id from lml.event_zones z join places using (event_id, zone_id)
    order by z.zone_id
    for update of z
),
returned as (
    update lml.event_zones z
    set held = greatest(z.held - places.quantity, 0), version = z.version + 1
    from zones join places using (zone_id)
    where z.event_id = places.event_id and z.zone_id = zones.zone_id
)
select id, tenant_id, event_id, seat_ids, ga::text, sales_channel_id, 'active',
       created_at, expires_at, max_expires_at
from ended
"""

FIND = """
select id, tenant_id, event_id, seat_ids, ga::text, sales_channel_id, status,
       created_at, expires_at, max_expires_at, token_hash
from lml.holds where id = %s
"""

EVENT_CHANNELS = """
select array(select channel ->> 'id' from jsonb_array_elements(sales_channels) as channel)
from lml.events where id = %s
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


class _Refused(Exception):
    """Rolls the transaction back from inside ``with_tenant``."""

    def __init__(self, refusal: InventoryRefusal) -> None:
        self.refusal = refusal


class PostgresInventory:
    def __init__(self, pool: AppPool) -> None:
        self._pool = pool

    async def take(self, hold: Hold, token_hash: bytes) -> Result[None, InventoryRefusal]:
        params: dict[str, Any] = {
            "tenant": hold.tenant_id,
            "hold": hold.id,
            "event": hold.event_id,
            "seats": list(hold.seat_ids),
            "channel": hold.sales_channel_id,
            "token_hash": token_hash,
            "ga": _json.encode(hold.ga).decode(),
            "now": hold.created_at,
            "expires": hold.expires_at,
            "max_expires": hold.max_expires_at,
            "zones": [item.zone_id for item in hold.ga],
            "quantities": [item.quantity for item in hold.ga],
        }
        try:
            async with with_tenant(self._pool, hold.tenant_id) as conn:
                cursor = await conn.execute(TAKE_SEATS_AND_RECORD, params)
                taken = await cursor.fetchone()
                if taken is None or taken[0] != len(hold.seat_ids):
                    cursor = await conn.execute(SEAT_OWNERS, params)
                    owners: dict[str, bool] = dict(await cursor.fetchall())
                    raise _Refused(
                        InventoryRefusal(
                            unknown_seat_ids=tuple(s for s in hold.seat_ids if s not in owners),
                            seat_ids=tuple(s for s in hold.seat_ids if owners.get(s) is False),
                        )
                    )
                if hold.ga:
                    cursor = await conn.execute(TAKE_ZONES, params)
                    grown = {row[0] for row in await cursor.fetchall()}
                    short = tuple(item.zone_id for item in hold.ga if item.zone_id not in grown)
                    if short:
                        raise _Refused(InventoryRefusal(zone_ids=short))
        except _Refused as refused:
            return Err(refused.refusal)
        return Ok(None)

    async def refusal(self, lock: HoldLock) -> InventoryRefusal:
        params = {
            "event": lock.event_id,
            "seats": list(lock.seat_ids),
            "channel": lock.sales_channel_id,
            "zones": [item.zone_id for item in lock.ga],
        }
        takeable: dict[str, bool] = {}
        room: dict[str, int] = {}
        async with with_tenant(self._pool, lock.tenant_id) as conn:
            if lock.seat_ids:
                cursor = await conn.execute(TAKEABLE_SEATS, params)
                takeable.update(await cursor.fetchall())
            if lock.ga:
                cursor = await conn.execute(ZONE_ROOM, params)
                room.update(await cursor.fetchall())
        return InventoryRefusal(
            unknown_seat_ids=tuple(s for s in lock.seat_ids if s not in takeable),
            seat_ids=tuple(s for s in lock.seat_ids if takeable.get(s) is False),
            zone_ids=tuple(
                item.zone_id for item in lock.ga if room.get(item.zone_id, 0) < item.quantity
            ),
        )

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

    async def extend(self, tenant_id: str, hold_id: str, expires_at: datetime) -> bool:
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(EXTEND, {"hold": hold_id, "expires": expires_at})
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
        params = {"hold": hold_id, "status": status.value, "at": at, "token_hash": token_hash}
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(END, params)
            row = await cursor.fetchone()
        return None if row is None else _hold(row)

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
