"""Use case: a page of the organisation's events, by start time."""

from __future__ import annotations

from lml_catalog.application.ports import Events
from lml_catalog.domain import Cursor, Event, InvalidCursor, Page, page_of, start_after
from lml_result import Err, Ok, Result


async def list_events(
    org_id: str, *, limit: int, cursor: str | None, events: Events
) -> Result[Page[Event], InvalidCursor]:
    after = start_after(cursor)
    if isinstance(after, Err):
        return after
    fetched = await events.list(org_id, after=after.value, limit=limit + 1)
    return Ok(page_of(fetched, limit, lambda event: Cursor(event.terms.starts_at, event.id)))
