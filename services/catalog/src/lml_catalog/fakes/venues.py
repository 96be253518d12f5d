"""In-memory venues, each visible only through its own organisation, as in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from lml_catalog.domain import Cursor, Venue, VenueExists
from lml_result import Err, Ok, Result


class InMemoryVenues:
    def __init__(self) -> None:
        self._venues: dict[str, Venue] = {}

    async def add(self, venue: Venue) -> Result[None, VenueExists]:
        if venue.id in self._venues:
            return Err(VenueExists(venue_id=venue.id))
        self._venues[venue.id] = venue
        return Ok(None)

    async def get(self, org_id: str, venue_id: str) -> Venue | None:
        venue = self._venues.get(venue_id)
        return venue if venue is not None and venue.org_id == org_id else None

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Venue]:
        ordered = sorted(
            (venue for venue in self._venues.values() if venue.org_id == org_id),
            key=lambda venue: (venue.created_at, venue.id),
        )
        if after is not None:
            ordered = [v for v in ordered if (v.created_at, v.id) > (after.after, after.after_id)]
        return ordered[:limit]
