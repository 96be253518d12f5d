"""Venues in PostgreSQL (``lml.venues``); Row-Level Security keeps each query in its tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from psycopg.errors import UniqueViolation

from lml_catalog.domain import Cursor, Venue, VenueExists
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, in_tenant


class PostgresVenues:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, venue: Venue) -> Result[None, VenueExists]:
        try:
            async with in_tenant(self._scope, venue.org_id) as conn:
                await conn.execute(
                    "insert into lml.venues (tenant_id, id, name, created_at)"
                    " values (%s, %s, %s, %s)",
                    (venue.org_id, venue.id, venue.name, venue.created_at),
                )
        except UniqueViolation:
            return Err(VenueExists(venue_id=venue.id))
        return Ok(None)

    async def get(self, org_id: str, venue_id: str) -> Venue | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(
                "select id, tenant_id, name, created_at from lml.venues where id = %s",
                (venue_id,),
            )
            row = await cursor.fetchone()
        return None if row is None else _venue(row)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Venue]:
        # tenant_id is implied by Row-Level Security; naming it lets the
        # (tenant_id, created_at, id) index serve the page.
        async with in_tenant(self._scope, org_id) as conn:
            if after is None:
                cursor = await conn.execute(
                    "select id, tenant_id, name, created_at from lml.venues"
                    " where tenant_id = %s order by created_at, id limit %s",
                    (org_id, limit),
                )
            else:
                cursor = await conn.execute(
                    "select id, tenant_id, name, created_at from lml.venues"
                    " where tenant_id = %s and (created_at, id) > (%s, %s)"
                    " order by created_at, id limit %s",
                    (org_id, after.after, after.after_id, limit),
                )
            rows = await cursor.fetchall()
        return [_venue(row) for row in rows]


def _venue(row: tuple[Any, ...]) -> Venue:
    return Venue(id=row[0], org_id=row[1], name=row[2], created_at=row[3].astimezone(UTC))
