"""Use case: one venue of the organisation (GET /v1/venues/{venue_id})."""

from __future__ import annotations

from lml_catalog.application.ports import Venues
from lml_catalog.domain import Venue, VenueNotFound
from lml_result import Err, Ok, Result


async def get_venue(org_id: str, venue_id: str, *, venues: Venues) -> Result[Venue, VenueNotFound]:
    """Looked up only within ``org_id``: another organisation's venue is not found."""
    venue = await venues.get(org_id, venue_id)
    if venue is None:
        return Err(VenueNotFound(venue_id=venue_id))
    return Ok(venue)
