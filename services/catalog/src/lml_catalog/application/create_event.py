"""Use case: create an event from a venue's seatmap and materialise its inventory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import msgspec

from lml_catalog.application.ports import CatalogIds, Clock, Events, Seatmaps, Venues
from lml_catalog.domain import (
    Event,
    EventExists,
    EventTerms,
    InvalidEvent,
    SeatmapKey,
    SeatmapNotFound,
    VenueNotFound,
    seat_stock,
    terms_problems,
    unpriced_categories,
)
from lml_result import Err, Ok, Result


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateEvent:
    org_id: str
    venue_id: str
    seatmap_id: str
    terms: EventTerms
    event_id: str | None = None  # chosen by the caller (seeding) or generated


CreateEventError = VenueNotFound | SeatmapNotFound | InvalidEvent | EventExists


async def create_event(
    cmd: CreateEvent,
    *,
    venues: Venues,
    seatmaps: Seatmaps,
    events: Events,
    ids: CatalogIds,
    clock: Clock,
) -> Result[Event, CreateEventError]:
    """One inventory row per seat and one counter per GA zone, written together or not at all.

    Venue and seatmap are looked up in the organisation first (another organisation's
    are not found); then every problem with the terms, and every seatmap category
    the terms leave unpriced, is reported at once.
    """
    if await venues.get(cmd.org_id, cmd.venue_id) is None:
        return Err(VenueNotFound(venue_id=cmd.venue_id))
    seatmap = await seatmaps.get(SeatmapKey(cmd.org_id, cmd.venue_id, cmd.seatmap_id))
    if seatmap is None:
        return Err(SeatmapNotFound(venue_id=cmd.venue_id, seatmap_id=cmd.seatmap_id))
    problems = terms_problems(cmd.terms) + unpriced_categories(seatmap, cmd.terms)
    if problems:
        return Err(InvalidEvent(tuple(problems)))
    event = Event(
        id=cmd.event_id if cmd.event_id is not None else ids.new_event_id(),
        org_id=cmd.org_id,
        venue_id=cmd.venue_id,
        seatmap_id=cmd.seatmap_id,
        terms=msgspec.structs.replace(cmd.terms, starts_at=cmd.terms.starts_at.astimezone(UTC)),
        # Listed by id, however the seatmap orders them: the order every store returns.
        ga_zones=tuple(sorted(seatmap.ga_zones, key=lambda zone: zone.id)),
        created_at=clock.now(),
    )
    added = await events.add(event, seat_stock(seatmap))
    if isinstance(added, Err):
        return added
    return Ok(event)
