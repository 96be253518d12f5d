"""Use case: a page of the organisation's events, by start time."""

from __future__ import annotations

from lml_catalog.application.listing import list_page
from lml_catalog.application.ports import Events
from lml_catalog.domain import Cursor, Event, InvalidCursor, Page
from lml_result import Result


async def list_events(
    org_id: str, *, limit: int, cursor: str | None, events: Events
) -> Result[Page[Event], InvalidCursor]:
    return await list_page(
        events, org_id, limit=limit, cursor=cursor, key=lambda e: Cursor(e.terms.starts_at, e.id)
    )
