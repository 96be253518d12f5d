"""Use case: read a seatmap back (GET /v1/venues/{venue_id}/seatmaps/{seatmap_id})."""

from __future__ import annotations

from lml_catalog.application.ports import Seatmaps
from lml_catalog.domain import Seatmap, SeatmapKey, SeatmapNotFound
from lml_result import Err, Ok, Result


async def get_seatmap(key: SeatmapKey, *, seatmaps: Seatmaps) -> Result[Seatmap, SeatmapNotFound]:
    """Found only through its own organisation and venue."""
    seatmap = await seatmaps.get(key)
    if seatmap is None:
        return Err(SeatmapNotFound(venue_id=key.venue_id, seatmap_id=key.seatmap_id))
    return Ok(seatmap)
