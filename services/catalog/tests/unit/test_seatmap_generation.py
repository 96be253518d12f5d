"""Generated seatmaps: valid, of the size asked for, and shaped like a real bowl."""

from __future__ import annotations

import msgspec

from lml_catalog.domain import generate_seatmap, parse_seatmap
from lml_result import Ok


def test_a_generated_stadium_is_valid_and_has_exactly_the_seats_and_zones_asked_for() -> None:
    document = generate_seatmap(sections=12, rows=10, seats=15, ga_zones=4)

    result = parse_seatmap(document)

    assert isinstance(result, Ok)
    assert result.value.seat_count() == 12 * 10 * 15
    assert len(result.value.ga_zones) == 4


def test_generation_is_deterministic() -> None:
    first = generate_seatmap(sections=3, rows=4, seats=5, ga_zones=1)
    second = generate_seatmap(sections=3, rows=4, seats=5, ga_zones=1)

    assert msgspec.json.encode(first) == msgspec.json.encode(second)


def test_rows_are_lettered_like_a_venue_and_seats_named_by_section_row_and_number() -> None:
    document = generate_seatmap(sections=1, rows=28, seats=2, ga_zones=0)
    rows = document["sections"][0]["rows"]

    assert [row["id"] for row in rows[:2] + rows[-3:]] == ["A", "B", "Z", "AA", "AB"]
    assert [seat["id"] for seat in rows[0]["seats"]] == ["101-A-1", "101-A-2"]


def test_front_rows_cost_most_and_their_aisle_seats_are_accessible() -> None:
    document = generate_seatmap(sections=1, rows=9, seats=4, ga_zones=0)
    rows = document["sections"][0]["rows"]

    assert [rows[i]["seats"][0]["price_category"] for i in (0, 4, 8)] == [
        "premium",
        "standard",
        "economy",
    ]
    assert [seat.get("accessible", False) for seat in rows[0]["seats"]] == [
        True,
        False,
        False,
        True,
    ]


def test_only_the_categories_in_use_are_declared() -> None:
    seated = generate_seatmap(sections=2, rows=1, seats=3, ga_zones=0)
    standing = generate_seatmap(sections=0, rows=0, seats=0, ga_zones=2)

    assert [category["id"] for category in seated["price_categories"]] == ["premium"]
    assert [category["id"] for category in standing["price_categories"]] == ["floor"]
