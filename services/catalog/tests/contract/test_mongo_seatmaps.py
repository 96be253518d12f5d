"""What the MongoDB adapter promises beyond the port: its index, its binding, its faults."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from lml_catalog.domain import SeatmapKey, generate_seatmap, parse_seatmap
from lml_catalog.infrastructure import MongoSeatmaps
from lml_catalog.infrastructure.mongo_seatmaps import SeatmapCollection
from lml_devstack import free_port
from lml_result import DependencyUnavailable, Ok

pytestmark = pytest.mark.integration


def key() -> SeatmapKey:
    return SeatmapKey(f"org_{uuid.uuid4().hex}", f"ven_{uuid.uuid4().hex}", "main")


async def test_the_org_id_and_id_index_exists_and_creating_it_again_changes_nothing(
    mongo_seatmaps: MongoSeatmaps, seatmap_collection: SeatmapCollection
) -> None:
    await mongo_seatmaps.create_indexes()

    indexes = await seatmap_collection.index_information()
    keys = [tuple(index["key"]) for index in indexes.values()]
    assert (("org_id", 1), ("_id", 1)) in keys
    assert len(keys) == 2  # _id's own and ours


async def test_every_stored_document_carries_its_organisation_and_venue(
    mongo_seatmaps: MongoSeatmaps, seatmap_collection: SeatmapCollection
) -> None:
    where = key()
    parsed = parse_seatmap(generate_seatmap(sections=1, rows=1, seats=2, ga_zones=1))
    assert isinstance(parsed, Ok)

    await mongo_seatmaps.put(where, parsed.value)

    stored = await seatmap_collection.find_one({"org_id": where.org_id})
    assert stored is not None
    assert (stored["org_id"], stored["venue_id"], stored["seatmap_id"]) == (
        where.org_id,
        where.venue_id,
        "main",
    )


async def test_an_unreachable_server_is_a_dependency_unavailable() -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        f"mongodb://127.0.0.1:{free_port()}/", serverSelectionTimeoutMS=100
    )
    try:
        seatmaps = MongoSeatmaps(client["lml"]["seatmaps"])

        with pytest.raises(DependencyUnavailable) as raised:
            await seatmaps.get(key())
    finally:
        await client.close()

    assert raised.value.dependency == "mongodb"
