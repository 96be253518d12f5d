"""Use case: add a venue to an organisation."""

from __future__ import annotations

from dataclasses import dataclass

from lml_catalog.application.ports import CatalogIds, Clock, Venues
from lml_catalog.domain import InvalidVenue, Venue, VenueExists, venue_problems
from lml_result import Err, Ok, Result


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateVenue:
    org_id: str
    name: str
    venue_id: str | None = None  # chosen by the caller (seeding) or generated


async def create_venue(
    cmd: CreateVenue, *, venues: Venues, ids: CatalogIds, clock: Clock
) -> Result[Venue, InvalidVenue | VenueExists]:
    problems = venue_problems(cmd.name)
    if problems:
        return Err(InvalidVenue(tuple(problems)))
    venue = Venue(
        id=cmd.venue_id if cmd.venue_id is not None else ids.new_venue_id(),
        org_id=cmd.org_id,
        name=cmd.name.strip(),
        created_at=clock.now(),
    )
    added = await venues.add(venue)
    if isinstance(added, Err):
        return added
    return Ok(venue)
