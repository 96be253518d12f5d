"""In-memory seatmaps, keyed by organisation, venue and seatmap id."""

from __future__ import annotations

import msgspec

from lml_catalog.domain import Seatmap, SeatmapKey, SeatmapTooLarge
from lml_result import Err, Ok, Result

# MongoDB's limit for one document; JSON is a close enough measure of its BSON size here.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


class InMemorySeatmaps:
    def __init__(self, max_document_bytes: int = MAX_DOCUMENT_BYTES) -> None:
        self._seatmaps: dict[SeatmapKey, Seatmap] = {}
        self._max_document_bytes = max_document_bytes

    async def put(self, key: SeatmapKey, seatmap: Seatmap) -> Result[bool, SeatmapTooLarge]:
        if len(msgspec.json.encode(seatmap)) > self._max_document_bytes:
            return Err(SeatmapTooLarge(limit_bytes=self._max_document_bytes))
        created = key not in self._seatmaps
        self._seatmaps[key] = seatmap
        return Ok(created)

    async def get(self, key: SeatmapKey) -> Seatmap | None:
        return self._seatmaps.get(key)
