"""In-memory venues, each visible only through its own organisation, as in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from lml_catalog.domain import Cursor, Venue, VenueExists
from lml_catalog.fakes.tenant_records import TenantRecords
from lml_result import Err, Ok, Result


class InMemoryVenues:
    def __init__(self) -> None:
        self._venues = TenantRecords[Venue](order=lambda venue: (venue.created_at, venue.id))

    async def add(self, venue: Venue) -> Result[None, VenueExists]:
        if venue.id in self._venues:
            return Err(VenueExists(venue_id=venue.id))
        self._venues.put(venue)
        return Ok(None)

    async def get(self, org_id: str, venue_id: str) -> Venue | None:
        return self._venues.get(org_id, venue_id)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Venue]:
        return self._venues.page(org_id, after, limit)
