"""Venues in PostgreSQL (``lml.venues``); Row-Level Security keeps each query in its tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from psycopg.errors import UniqueViolation

from lml_catalog.domain import Cursor, Venue, VenueExists
from lml_catalog.infrastructure.tenant_rows import TenantRows
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
        return await VENUES.one(self._scope, org_id, venue_id)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Venue]:
        return await VENUES.page(self._scope, org_id, after=after, limit=limit)


def _venue(row: tuple[Any, ...]) -> Venue:
    return Venue(id=row[0], org_id=row[1], name=row[2], created_at=row[3].astimezone(UTC))


VENUES = TenantRows(
    "select id, tenant_id, name, created_at from lml.venues",
    id_column="id",
    tenant_column="tenant_id",
    order="created_at, id",
    decode=_venue,
)
