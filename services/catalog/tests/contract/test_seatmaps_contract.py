"""The Seatmaps port, run against the in-memory fake and a MongoDB-wire server (SecantusDB)."""

from __future__ import annotations

import uuid

from lml_catalog.application import Seatmaps
from lml_catalog.domain import Seatmap, SeatmapKey, generate_seatmap, parse_seatmap
from lml_result import Ok


def key() -> SeatmapKey:
    return SeatmapKey(f"org_{uuid.uuid4().hex}", f"ven_{uuid.uuid4().hex}", "main")


def seatmap(name: str = "Arena", **size: int) -> Seatmap:
    shape = {"sections": 3, "rows": 4, "seats": 5, "ga_zones": 2, **size}
    parsed = parse_seatmap(generate_seatmap(name=name, **shape))
    assert isinstance(parsed, Ok)
    return parsed.value


async def test_given_a_new_seatmap_when_put_then_it_is_created_and_read_back_equal(
    seatmaps: Seatmaps,
) -> None:
    where, stored = key(), seatmap()

    assert await seatmaps.put(where, stored) == Ok(True)
    assert await seatmaps.get(where) == stored


async def test_given_an_existing_seatmap_when_put_then_it_is_replaced(seatmaps: Seatmaps) -> None:
    where = key()
    await seatmaps.put(where, seatmap("Before"))

    assert await seatmaps.put(where, seatmap("After", sections=1)) == Ok(False)
    assert await seatmaps.get(where) == seatmap("After", sections=1)


async def test_optional_parts_survive_the_round_trip(seatmaps: Seatmaps) -> None:
    where = key()
    without_zones_or_categories = Seatmap(
        name="Club", sections=seatmap(ga_zones=0).sections, price_categories=None
    )

    await seatmaps.put(where, without_zones_or_categories)

    assert await seatmaps.get(where) == without_zones_or_categories


async def test_an_unknown_seatmap_is_not_found(seatmaps: Seatmaps) -> None:
    assert await seatmaps.get(key()) is None


async def test_a_seatmap_is_never_found_through_another_organisation(seatmaps: Seatmaps) -> None:
    mine = key()
    await seatmaps.put(mine, seatmap())

    theirs = SeatmapKey(f"org_{uuid.uuid4().hex}", mine.venue_id, mine.seatmap_id)

    assert await seatmaps.get(theirs) is None


async def test_the_same_ids_in_another_organisation_neither_collide_nor_overwrite(
    seatmaps: Seatmaps,
) -> None:
    mine = key()
    theirs = SeatmapKey(f"org_{uuid.uuid4().hex}", mine.venue_id, mine.seatmap_id)
    await seatmaps.put(mine, seatmap("Mine"))

    assert await seatmaps.put(theirs, seatmap("Theirs")) == Ok(True)
    assert await seatmaps.get(mine) == seatmap("Mine")
    assert await seatmaps.get(theirs) == seatmap("Theirs")


async def test_seatmaps_of_one_venue_are_kept_apart_by_id(seatmaps: Seatmaps) -> None:
    concert = key()
    football = SeatmapKey(concert.org_id, concert.venue_id, "football")
    await seatmaps.put(concert, seatmap("Concert"))
    await seatmaps.put(football, seatmap("Football"))

    assert await seatmaps.get(concert) == seatmap("Concert")
    assert await seatmaps.get(football) == seatmap("Football")
