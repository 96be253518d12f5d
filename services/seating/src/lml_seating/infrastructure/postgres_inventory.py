"""Inventory in PostgreSQL: ``lml.event_seats``, ``lml.event_zones`` and ``lml.holds``.

Every statement runs inside ``with_tenant``, so Row-Level Security keeps it in one
organisation. Every statement that locks more than one row locks them in one order (hold
records, then seats, then zones, each by event and id), so concurrent transactions never
deadlock. Takes, ends and refusal reads of one organisation are batched per process
(docs/decisions/0005-batched-hot-path.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec
from prometheus_client import Histogram
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from lml_batching import Batcher
from lml_metrics import REGISTRY
from lml_postgres import AppPool, postgres_faults
from lml_result import Err, Ok, Result
from lml_seating.application.ports import (
    InventoryConfiguration,
    InventoryRefusal,
    InventorySnapshot,
    OverdueHold,
    StoredHold,
)
from lml_seating.domain import (
    Hold,
    HoldScope,
    HoldStatus,
    SeatInventory,
    ZoneCounts,
)
from lml_seating.infrastructure.hold_rows import decode_hold
from lml_tenancy import fetch_all, with_tenant

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

# Every hold one API process has waiting goes in one transaction (lml_batching); the
# function takes each hold's seats and places all or nothing (migrations/0005).
TAKE_HOLDS = """
select hold, unknown_seats, unavailable_seats, short_zones from lml.take_holds(%s::jsonb)
"""

# What stands in the way of each of a batch of refused locks (numbered from 1 in the
# batch), now: its unknown seats, the seats it cannot take (migrations/0008: the one
# rule), the zones without room for it. Each seat and zone is looked up by its primary key:
# the LATERAL subqueries (kept apart by LIMIT) stop the planner from hashing every seat of
# the event instead, as it does for a join with a set-returning function.
REFUSED_SEATS = """
select l.n, w.seat_id, s.seat_id is null as unknown
from rows from (jsonb_to_recordset(%s::jsonb)
                as (event_id text, seat_ids text[], sales_channel_id text))
     with ordinality as l (event_id, seat_ids, sales_channel_id, n)
cross join lateral unnest(l.seat_ids) as w (seat_id)
left join lateral (
    select seat_id, status, hold_expires_at, sales_channel_id from lml.event_seats
    where event_id = l.event_id and seat_id = w.seat_id
    limit 1
) s on true
where s.seat_id is null
   or not lml.seat_can_be_taken(s.status, s.hold_expires_at, s.sales_channel_id,
                                l.sales_channel_id, now())
"""

SHORT_ZONES = """
select l.n, g.zone_id
from rows from (jsonb_to_recordset(%s::jsonb) as (event_id text, ga jsonb))
     with ordinality as l (event_id, ga, n)
cross join lateral jsonb_to_recordset(l.ga) as g (zone_id text, quantity integer)
left join lateral (
    select zone_id, capacity - held - sold as room from lml.event_zones
    where event_id = l.event_id and zone_id = g.zone_id
    limit 1
) z on true
where z.zone_id is null or z.room < g.quantity
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
select count(*) as extended from extended
"""

# Ends every hold of the batch it can (migrations/0005): with a token digest only that
# token's hold before it expires, without any active hold; each row is an ended hold as it
# was, with its place in the batch.
END_HOLDS = """
select id, tenant_id as org_id, event_id, seat_ids, ga, sales_channel_id, status,
       created_at, expires_at, max_expires_at, n
from lml.end_holds(%s::jsonb)
"""

FIND = """
select id, tenant_id as org_id, event_id, seat_ids, ga::text as ga, sales_channel_id, status,
       created_at, expires_at, max_expires_at, token_hash
from lml.holds where id = %s
"""

# One statement, so one snapshot of the database: the event's sales channels (catalog's
# terms, read as it publishes them, migrations/0007), the version of its inventory
# configuration (migrations/0009) and its zones as stored. Each part by primary key.
CONFIGURATION = """
select t.sales_channel_ids,
       coalesce((select v.version from lml.event_inventory_versions v
                 where v.event_id = t.event_id), 0) as version,
       coalesce((select jsonb_agg(jsonb_build_object('zone_id', z.zone_id,
                                                     'capacity', z.capacity,
                                                     'held', z.held, 'sold', z.sold)
                                  order by z.zone_id)
                 from lml.event_zones z where z.event_id = t.event_id), '[]') as zones
from lml.event_hold_terms t where t.event_id = %(event)s
"""

# Held is the lock store's to say (seat_status in the domain); inventory's seat rows give
# what is configured. seat_status_at still reads a lapsed hold as available.
SNAPSHOT_SEATS = """
select seat_id, lml.seat_status_at(status, hold_expires_at, %(now)s) as status,
       price_category, sales_channel_id
from lml.event_seats where event_id = %(event)s
order by seat_id
"""

ZONES = """
select zone_id, capacity, held, sold from lml.event_zones
where event_id = %(event)s and (%(zones)s::text[] is null or zone_id = any(%(zones)s::text[]))
order by zone_id
"""


class _HoldRow(Hold, frozen=True, kw_only=True):
    """A hold as ``lml.take_holds`` reads it from its JSON argument: with its token's digest."""

    token_hash: str

    @classmethod
    def of(cls, hold: Hold, token_hash: bytes) -> _HoldRow:
        return cls(**msgspec.structs.asdict(hold), token_hash=token_hash.hex())


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
        refusal = await self._takes.submit(hold.org_id, _HoldRow.of(hold, token_hash))
        return Err(refusal) if refusal else Ok(None)

    async def _take_batch(self, org_id: str, holds: list[_HoldRow]) -> list[InventoryRefusal]:
        _take_batch_size.observe(len(holds))
        rows = await self._call(org_id, TAKE_HOLDS, holds)
        outcomes = {
            row["hold"]: InventoryRefusal(
                unknown_seat_ids=tuple(row["unknown_seats"]),
                seat_ids=tuple(row["unavailable_seats"]),
                zone_ids=tuple(row["short_zones"]),
            )
            for row in rows
        }
        return [outcomes[hold.id] for hold in holds]

    async def _call(
        self, org_id: str, function: str, batch: Sequence[msgspec.Struct]
    ) -> list[dict[str, Any]]:
        """The rows a batch function answers for its JSON argument."""
        async with with_tenant(self._pool, org_id) as conn:
            return await _fetch(conn, function, (_json.encode(batch).decode(),))

    async def refusal(self, lock: HoldScope) -> InventoryRefusal:
        return await self._refusals.submit(lock.org_id, lock)

    async def _refusal_batch(self, org_id: str, locks: list[HoldScope]) -> list[InventoryRefusal]:
        _refusal_batch_size.observe(len(locks))
        batch = (_json.encode(locks).decode(),)
        async with with_tenant(self._pool, org_id) as conn:
            seats = await _fetch(conn, REFUSED_SEATS, batch)
            zones = await _fetch(conn, SHORT_ZONES, batch)
        return [
            _refusal_of(
                lock,
                unknown={row["seat_id"] for row in seats if row["n"] == n and row["unknown"]},
                untakeable={
                    row["seat_id"] for row in seats if row["n"] == n and not row["unknown"]
                },
                short={row["zone_id"] for row in zones if row["n"] == n},
            )
            for n, lock in enumerate(locks, start=1)
        ]

    async def zone_counts(
        self, org_id: str, event_id: str, zone_ids: Sequence[str]
    ) -> Sequence[ZoneCounts]:
        async with with_tenant(self._pool, org_id) as conn:
            rows = await _fetch(conn, ZONES, {"event": event_id, "zones": list(zone_ids)})
        return [ZoneCounts(**row) for row in rows]

    async def find(self, org_id: str, hold_id: str) -> StoredHold | None:
        async with with_tenant(self._pool, org_id) as conn:
            rows = await _fetch(conn, FIND, (hold_id,))
        if not rows:
            return None
        return StoredHold(decode_hold(rows[0]), bytes(rows[0]["token_hash"]))

    async def extend(
        self, org_id: str, hold_id: str, token_hash: bytes, expires_at: datetime
    ) -> bool:
        params = {"hold": hold_id, "token_hash": token_hash, "expires": expires_at}
        async with with_tenant(self._pool, org_id) as conn:
            rows = await _fetch(conn, EXTEND, params)
        extended: int = rows[0]["extended"]
        return extended == 1

    async def end(self, org_id: str, hold_id: str, status: HoldStatus, at: datetime) -> bool:
        return await self._end(org_id, hold_id, status, at, None) is not None

    async def release(
        self, org_id: str, hold_id: str, token_hash: bytes, at: datetime
    ) -> Hold | None:
        return await self._end(org_id, hold_id, HoldStatus.RELEASED, at, token_hash)

    async def _end(
        self,
        org_id: str,
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
        return await self._ends.submit(org_id, end)

    async def _end_batch(self, org_id: str, ends: list[_EndRow]) -> list[Hold | None]:
        _end_batch_size.observe(len(ends))
        rows = await self._call(org_id, END_HOLDS, ends)
        ended = {row["n"]: decode_hold(row) for row in rows}
        return [ended.get(n) for n in range(1, len(ends) + 1)]

    async def snapshot(self, org_id: str, event_id: str, now: datetime) -> InventorySnapshot | None:
        params = {"event": event_id, "now": now}
        # One snapshot of PostgreSQL for both reads: the seats are those of the version
        # the tag names, however many orders are being sold meanwhile.
        async with with_tenant(self._pool, org_id, one_snapshot=True) as conn:
            configured = await _fetch(conn, CONFIGURATION, params)
            if not configured:
                return None
            configuration = _configuration(configured[0])
            seats = await _fetch(conn, SNAPSHOT_SEATS, params)
        return InventorySnapshot(
            seats=tuple(SeatInventory(**row) for row in seats),
            zones=configuration.zones,
            sales_channels=configuration.sales_channels,
            version=configuration.version,
        )

    async def configuration(self, org_id: str, event_id: str) -> InventoryConfiguration | None:
        # Every revalidation of the snapshot reads this: one round trip, not three.
        rows = await fetch_all(self._pool, org_id, CONFIGURATION, {"event": event_id})
        return _configuration(rows[0]) if rows else None

    async def overdue(self, grace_seconds: float, limit: int) -> Sequence[OverdueHold]:
        # Across organisations, so outside with_tenant: the function returns ids only.
        with postgres_faults():
            async with self._pool.connection() as conn:
                rows = await _fetch(
                    conn,
                    "select tenant_id as org_id, event_id, hold_id from lml.overdue_holds(%s, %s)",
                    (timedelta(seconds=grace_seconds), limit),
                )
        return [OverdueHold(**row) for row in rows]


def _configuration(row: dict[str, Any]) -> InventoryConfiguration:
    return InventoryConfiguration(
        version=row["version"],
        # psycopg decodes jsonb to Python; msgspec converts it to the value type.
        zones=msgspec.convert(row["zones"], tuple[ZoneCounts, ...]),
        sales_channels=frozenset(row["sales_channel_ids"]),
    )


def _refusal_of(
    lock: HoldScope, *, unknown: set[str], untakeable: set[str], short: set[str]
) -> InventoryRefusal:
    """The obstacles in the order the lock names its seats and zones."""
    return InventoryRefusal(
        unknown_seat_ids=tuple(seat for seat in lock.seat_ids if seat in unknown),
        seat_ids=tuple(seat for seat in lock.seat_ids if seat in untakeable),
        zone_ids=tuple(item.zone_id for item in lock.ga if item.zone_id in short),
    )


async def _fetch(
    conn: AsyncConnection[Any], query: str, params: Sequence[Any] | Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Rows read by column name, never by position."""
    cursor = conn.cursor(row_factory=dict_row)
    await cursor.execute(query, params)
    return await cursor.fetchall()
