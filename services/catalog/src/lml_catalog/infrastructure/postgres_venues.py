"""Venues in PostgreSQL (``lml.venues``); Row-Level Security keeps each query in its tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from lml_catalog.domain import Cursor, Venue, VenueExists
from lml_catalog.infrastructure.tenant_rows import TenantRows
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, insert_new


class PostgresVenues:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, venue: Venue) -> Result[None, VenueExists]:
        added = await insert_new(
            self._scope,
            venue.org_id,
            "insert into lml.venues (tenant_id, id, name, created_at) values (%s, %s, %s, %s)",
            (venue.org_id, venue.id, venue.name, venue.created_at),
        )
        return Ok(None) if added else Err(VenueExists(venue_id=venue.id))

    async def get(self, org_id: str, venue_id: str) -> Venue | None:
        return await VENUES.one(self._scope, org_id, venue_id)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Venue]:
        return await VENUES.page(self._scope, org_id, after=after, limit=limit)


def _venue(row: dict[str, Any]) -> Venue:
    return Venue(
        id=row["id"],
        org_id=row["tenant_id"],
        name=row["name"],
        created_at=row["created_at"].astimezone(UTC),
    )


VENUES = TenantRows(
    "select id, tenant_id, name, created_at from lml.venues",
    id_column="id",
    tenant_column="tenant_id",
    order="created_at, id",
    decode=_venue,
)
