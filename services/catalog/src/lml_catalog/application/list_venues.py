"""Use case: a page of the organisation's venues, oldest first."""

from __future__ import annotations

from lml_catalog.application.ports import Venues
from lml_catalog.domain import Cursor, InvalidCursor, Page, Venue, page_of, start_after
from lml_result import Err, Ok, Result


async def list_venues(
    org_id: str, *, limit: int, cursor: str | None, venues: Venues
) -> Result[Page[Venue], InvalidCursor]:
    after = start_after(cursor)
    if isinstance(after, Err):
        return after
    fetched = await venues.list(org_id, after=after.value, limit=limit + 1)
    return Ok(page_of(fetched, limit, lambda venue: Cursor(venue.created_at, venue.id)))
