"""Use case: start watching an event's availability stream, after an event the client saw."""

from __future__ import annotations

from typing import Literal

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.application.ports import AvailabilityEvents, HoldRules
from lml_seating.domain import EventNotFound, StreamPosition, resumption


class WatchFrom(msgspec.Struct, frozen=True, kw_only=True):
    """Where the client's stream starts: after ``seen`` (``resume``), or, when the events
    after ``seen`` are gone or ``seen`` is none of this stream's, after the stream's
    current last id, the client being told to resynchronise from a snapshot first."""

    start: Literal["resume", "live", "too_old", "unknown"]
    after: str | None
    position: StreamPosition


async def readable_event(
    org_id: str, event_id: str, *, rules: HoldRules
) -> Result[None, EventNotFound]:
    """Another organisation's event is as unknown as one that does not exist."""
    if await rules.rules(org_id, event_id) is None:
        return Err(EventNotFound(event_id))
    return Ok(None)


async def watch_availability(
    org_id: str,
    event_id: str,
    seen: str | None,
    *,
    rules: HoldRules,
    events: AvailabilityEvents,
) -> Result[WatchFrom, EventNotFound]:
    """``seen`` None: only what happens from now on."""
    readable = await readable_event(org_id, event_id, rules=rules)
    if isinstance(readable, Err):
        return readable
    position = await events.position(event_id)
    if seen is None:
        return Ok(WatchFrom(start="live", after=None, position=position))
    known = await events.has(event_id, seen)
    start = resumption(seen, position, known=known)
    after = seen if start == "resume" else position.last_id
    return Ok(WatchFrom(start=start, after=after, position=position))
