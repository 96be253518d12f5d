"""Events in PostgreSQL (``lml.events``), stocked with their inventory in one transaction.

The inventory (one row per seat, one counter per GA zone) is seating's
(docs/decisions/0006-table-ownership.md): the event is stocked, and its zones read
back, through what seating publishes. Seats go in with COPY, the fast path for a
stadium; PostgreSQL refuses COPY into a table under Row-Level Security, so they are
copied into the temporary table ``lml.stage_event_seats`` creates and moved by
``lml.stock_event`` with one INSERT ... SELECT, where every row still passes the
tenant policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

import msgspec
from psycopg.errors import UniqueViolation

from lml_catalog.domain import (
    Cursor,
    Event,
    EventExists,
    EventTerms,
    GaZone,
    PriceCategory,
    SalesChannel,
    SeatStock,
)
from lml_catalog.infrastructure.tenant_rows import TenantRows
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, in_tenant

EVENT_KEYS = frozenset({"events_pkey", "events_tenant_id_id_key"})  # migrations/0001_core.sql

INSERT_EVENT = (
    "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at, currency,"
    " max_seats_per_hold, price_categories, sales_channels, created_at)"
    " values (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s)"
)
STAGE_SEATS = "select lml.stage_event_seats()"
COPY_SEATS = "copy pg_temp.staged_event_seats (seat_id, price_category, zone_id) from stdin"
STOCK_EVENT = "select lml.stock_event(%s, %s::jsonb)"
# Zones come back in id order: the order an event's zones are listed in.
SELECT_EVENTS = (
    "select e.id, e.tenant_id, e.venue_id, e.seatmap_id, e.name, e.starts_at, e.currency,"
    " e.max_seats_per_hold, e.price_categories::text as price_categories,"
    " e.sales_channels::text as sales_channels, e.created_at,"
    " coalesce((select jsonb_agg(jsonb_build_object('id', z.zone_id, 'name', z.name,"
    " 'capacity', z.capacity, 'price_category', z.price_category) order by z.zone_id)"
    " from lml.event_ga_zones z where z.event_id = e.id), '[]'::jsonb)::text as ga_zones"
    " from lml.events e"
)


class PostgresEvents:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, event: Event, seats: Iterable[SeatStock]) -> Result[None, EventExists]:
        terms = event.terms
        try:
            async with in_tenant(self._scope, event.org_id) as conn:
                await conn.execute(
                    INSERT_EVENT,
                    (
                        event.org_id,
                        event.id,
                        event.venue_id,
                        event.seatmap_id,
                        terms.name,
                        terms.starts_at,
                        terms.currency,
                        terms.max_seats_per_hold,
                        msgspec.json.encode(terms.price_categories).decode(),
                        msgspec.json.encode(terms.sales_channels).decode(),
                        event.created_at,
                    ),
                )
                async with conn.cursor() as cursor:
                    await cursor.execute(STAGE_SEATS)
                    async with cursor.copy(COPY_SEATS) as copy:
                        for seat in seats:
                            await copy.write_row(seat)
                    await cursor.execute(
                        STOCK_EVENT, (event.id, msgspec.json.encode(event.ga_zones).decode())
                    )
        except UniqueViolation as error:
            if error.diag.constraint_name in EVENT_KEYS:
                return Err(EventExists(event_id=event.id))
            raise
        return Ok(None)

    async def get(self, org_id: str, event_id: str) -> Event | None:
        return await EVENTS.one(self._scope, org_id, event_id)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Event]:
        return await EVENTS.page(self._scope, org_id, after=after, limit=limit)


def _event(row: dict[str, Any]) -> Event:
    return Event(
        id=row["id"],
        org_id=row["tenant_id"],
        venue_id=row["venue_id"],
        seatmap_id=row["seatmap_id"],
        terms=EventTerms(
            name=row["name"],
            starts_at=row["starts_at"].astimezone(UTC),
            currency=row["currency"],
            max_seats_per_hold=row["max_seats_per_hold"],
            price_categories=msgspec.json.decode(
                row["price_categories"], type=tuple[PriceCategory, ...]
            ),
            sales_channels=msgspec.json.decode(
                row["sales_channels"], type=tuple[SalesChannel, ...]
            ),
        ),
        created_at=row["created_at"].astimezone(UTC),
        ga_zones=msgspec.json.decode(row["ga_zones"], type=tuple[GaZone, ...]),
    )


EVENTS = TenantRows(
    SELECT_EVENTS,
    id_column="e.id",
    tenant_column="e.tenant_id",
    order="e.starts_at, e.id",
    decode=_event,
)
