"""Use case: upload a venue's seatmap, creating or replacing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from lml_catalog.application.ports import Seatmaps, Venues
from lml_catalog.domain import (
    InvalidSeatmap,
    Seatmap,
    SeatmapKey,
    SeatmapTooLarge,
    VenueNotFound,
    parse_seatmap,
    seatmap_id_problems,
)
from lml_result import Err, Ok, Result


@dataclass(frozen=True, slots=True, kw_only=True)
class PutSeatmap:
    key: SeatmapKey
    document: object  # decoded JSON, checked by the use case


class StoredSeatmap(msgspec.Struct, frozen=True, kw_only=True):
    seatmap: Seatmap
    created: bool  # False when it replaced an earlier version


PutSeatmapError = VenueNotFound | InvalidSeatmap | SeatmapTooLarge


async def put_seatmap(
    cmd: PutSeatmap,
    *,
    venues: Venues,
    seatmaps: Seatmaps,
    on_section: Callable[[], None] | None = None,
) -> Result[StoredSeatmap, PutSeatmapError]:
    """Store the seatmap if the venue is the organisation's and the document is valid.

    The venue is checked first, so another organisation's venue is not found whatever
    the document says. ``on_section`` reports validation progress.
    """
    key = cmd.key
    if await venues.get(key.org_id, key.venue_id) is None:
        return Err(VenueNotFound(venue_id=key.venue_id))
    id_problems = seatmap_id_problems(key.seatmap_id)
    parsed = parse_seatmap(cmd.document, on_section=on_section)
    if isinstance(parsed, Err) or id_problems:
        found = parsed.error.problems if isinstance(parsed, Err) else ()
        return Err(InvalidSeatmap((*id_problems, *found)))
    stored = await seatmaps.put(key, parsed.value)
    if isinstance(stored, Err):
        return stored
    return Ok(StoredSeatmap(seatmap=parsed.value, created=stored.value))
