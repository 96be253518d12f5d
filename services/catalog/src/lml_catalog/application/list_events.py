"""Use case: a page of the organisation's events, by start time."""

from __future__ import annotations

from lml_catalog.application.ports import Events
from lml_catalog.domain import Cursor, Event, InvalidCursor, Page, decode_cursor, page_of
from lml_result import Err, Ok, Result


async def list_events(
    org_id: str, *, limit: int, cursor: str | None, events: Events
) -> Result[Page[Event], InvalidCursor]:
    after = None
    if cursor is not None:
        decoded = decode_cursor(cursor)
        if isinstance(decoded, Err):
            return decoded
        after = decoded.value
    fetched = await events.list(org_id, after=after, limit=limit + 1)
    return Ok(page_of(fetched, limit, lambda event: Cursor(event.terms.starts_at, event.id)))
