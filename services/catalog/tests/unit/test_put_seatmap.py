"""Uploading and reading back a venue's seatmap."""

from __future__ import annotations

import copy
from typing import Any

from lml_catalog.application import PutSeatmap, get_seatmap, put_seatmap
from lml_catalog.domain import (
    InvalidSeatmap,
    SeatmapKey,
    SeatmapNotFound,
    SeatmapTooLarge,
    Venue,
    VenueNotFound,
    parse_seatmap,
)
from lml_catalog.fakes import InMemorySeatmaps, InMemoryVenues
from lml_result import Err, Ok


async def test_given_a_valid_document_when_put_then_it_is_created_and_read_back(
    venues: InMemoryVenues, seatmaps: InMemorySeatmaps, venue: Venue, small_seatmap: dict[str, Any]
) -> None:
    key = SeatmapKey(venue.org_id, venue.id, "main")

    result = await put_seatmap(
        PutSeatmap(key=key, document=small_seatmap), venues=venues, seatmaps=seatmaps
    )

    assert isinstance(result, Ok)
    assert result.value.created is True
    assert await get_seatmap(key, seatmaps=seatmaps) == Ok(result.value.seatmap)
    assert Ok(result.value.seatmap) == parse_seatmap(small_seatmap)


async def test_given_an_existing_seatmap_when_put_again_then_it_is_replaced(
    venues: InMemoryVenues, seatmaps: InMemorySeatmaps, venue: Venue, small_seatmap: dict[str, Any]
) -> None:
    key = SeatmapKey(venue.org_id, venue.id, "main")
    await put_seatmap(PutSeatmap(key=key, document=small_seatmap), venues=venues, seatmaps=seatmaps)
    renamed = {**copy.deepcopy(small_seatmap), "name": "Acme Arena, in the round"}

    result = await put_seatmap(
        PutSeatmap(key=key, document=renamed), venues=venues, seatmaps=seatmaps
    )

    assert isinstance(result, Ok)
    assert result.value.created is False
    stored = await get_seatmap(key, seatmaps=seatmaps)
    assert isinstance(stored, Ok)
    assert stored.value.name == "Acme Arena, in the round"


async def test_given_another_organisations_venue_when_put_then_the_venue_is_not_found(
    venues: InMemoryVenues, seatmaps: InMemorySeatmaps, venue: Venue, small_seatmap: dict[str, Any]
) -> None:
    key = SeatmapKey("org_intruder", venue.id, "main")

    result = await put_seatmap(
        PutSeatmap(key=key, document=small_seatmap), venues=venues, seatmaps=seatmaps
    )

    assert result == Err(VenueNotFound(venue_id=venue.id))
    assert await seatmaps.get(key) is None


async def test_a_seatmap_is_not_found_through_another_organisation(
    venues: InMemoryVenues, seatmaps: InMemorySeatmaps, venue: Venue, small_seatmap: dict[str, Any]
) -> None:
    key = SeatmapKey(venue.org_id, venue.id, "main")
    await put_seatmap(PutSeatmap(key=key, document=small_seatmap), venues=venues, seatmaps=seatmaps)
    foreign = SeatmapKey("org_intruder", venue.id, "main")

    assert await get_seatmap(foreign, seatmaps=seatmaps) == Err(
        SeatmapNotFound(venue_id=venue.id, seatmap_id="main")
    )


async def test_given_a_bad_id_and_a_bad_document_then_both_are_reported_and_nothing_stored(
    venues: InMemoryVenues, seatmaps: InMemorySeatmaps, venue: Venue, small_seatmap: dict[str, Any]
) -> None:
    key = SeatmapKey(venue.org_id, venue.id, "../main")
    broken = copy.deepcopy(small_seatmap)
    broken["ga_zones"][0]["capacity"] = 0

    result = await put_seatmap(
        PutSeatmap(key=key, document=broken), venues=venues, seatmaps=seatmaps
    )

    assert isinstance(result, Err)
    assert isinstance(result.error, InvalidSeatmap)
    assert [problem.path for problem in result.error.problems] == [
        "seatmap_id",
        "ga_zones[0].capacity",
    ]
    assert await seatmaps.get(key) is None


async def test_given_a_seatmap_over_the_store_limit_then_it_is_too_large(
    venues: InMemoryVenues, venue: Venue, small_seatmap: dict[str, Any]
) -> None:
    tiny_store = InMemorySeatmaps(max_document_bytes=100)
    key = SeatmapKey(venue.org_id, venue.id, "main")

    result = await put_seatmap(
        PutSeatmap(key=key, document=small_seatmap), venues=venues, seatmaps=tiny_store
    )

    assert result == Err(SeatmapTooLarge(limit_bytes=100))
