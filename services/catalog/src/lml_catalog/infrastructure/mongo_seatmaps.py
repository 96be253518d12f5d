"""Seatmap documents in MongoDB, one per seatmap, each carrying its organisation.

Every query filters on ``org_id`` as well as ``_id``, and the ``_id`` itself starts
with the organisation, so no organisation can read, replace or collide with
another's seatmap even under the same venue and seatmap ids.
"""

from __future__ import annotations

from typing import Any

import msgspec
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DocumentTooLarge

from lml_catalog.domain import Seatmap, SeatmapKey, SeatmapTooLarge
from lml_catalog.infrastructure.mongo_faults import mongo_faults
from lml_result import Err, Ok, Result

COLLECTION = "seatmaps"
ORG_INDEX = [("org_id", ASCENDING), ("_id", ASCENDING)]
# MongoDB's limit for one document (maxBsonObjectSize).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024

SeatmapCollection = AsyncCollection[dict[str, Any]]


def document_id(key: SeatmapKey) -> str:
    # Organisation and venue ids are ours and hold no "/"; the seatmap id, which the
    # client chooses, comes last, so the id can never be read two ways.
    return f"{key.org_id}/{key.venue_id}/{key.seatmap_id}"


class MongoSeatmaps:
    def __init__(self, collection: SeatmapCollection) -> None:
        self._collection = collection

    async def create_indexes(self) -> None:
        """The ``(org_id, _id)`` index every organisation-scoped query uses; idempotent."""
        with mongo_faults():
            await self._collection.create_index(ORG_INDEX)

    async def put(self, key: SeatmapKey, seatmap: Seatmap) -> Result[bool, SeatmapTooLarge]:
        identity = {"_id": document_id(key), "org_id": key.org_id}
        document = {
            **identity,
            "venue_id": key.venue_id,
            "seatmap_id": key.seatmap_id,
            **msgspec.to_builtins(seatmap),
        }
        try:
            with mongo_faults():
                result = await self._collection.replace_one(identity, document, upsert=True)
        except DocumentTooLarge:
            return Err(SeatmapTooLarge(limit_bytes=MAX_DOCUMENT_BYTES))
        return Ok(result.upserted_id is not None)

    async def get(self, key: SeatmapKey) -> Seatmap | None:
        # No projection: SecantusDB applies one slower than it sends a stadium whole, and
        # the conversion ignores the key fields stored beside the seatmap anyway.
        with mongo_faults():
            document = await self._collection.find_one(
                {"_id": document_id(key), "org_id": key.org_id}
            )
        return None if document is None else msgspec.convert(document, Seatmap)
