"""Use case: a page of the organisation's venues, oldest first."""

from __future__ import annotations

from lml_catalog.application.listing import list_page
from lml_catalog.application.ports import Venues
from lml_catalog.domain import Cursor, InvalidCursor, Page, Venue
from lml_result import Result


async def list_venues(
    org_id: str, *, limit: int, cursor: str | None, venues: Venues
) -> Result[Page[Venue], InvalidCursor]:
    return await list_page(
        venues, org_id, limit=limit, cursor=cursor, key=lambda v: Cursor(v.created_at, v.id)
    )
