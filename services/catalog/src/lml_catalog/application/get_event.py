"""Use case: one event of the organisation (GET /v1/events/{event_id})."""

from __future__ import annotations

from lml_catalog.application.ports import Events
from lml_catalog.domain import Event, EventNotFound
from lml_result import Err, Ok, Result


async def get_event(org_id: str, event_id: str, *, events: Events) -> Result[Event, EventNotFound]:
    """Looked up only within ``org_id``: another organisation's event is not found."""
    event = await events.get(org_id, event_id)
    if event is None:
        return Err(EventNotFound(event_id=event_id))
    return Ok(event)
