"""Seatmap validation by example: the problems a client sees, worded and placed."""

from __future__ import annotations

import copy
from typing import Any

from lml_catalog.domain import GaZone, InvalidSeatmap, Problem, generate_seatmap, parse_seatmap
from lml_result import Err, Ok


def problems_of(document: object) -> list[tuple[str, str]]:
    result = parse_seatmap(document)
    assert isinstance(result, Err)
    return [(problem.path, problem.message) for problem in result.error.problems]


def test_given_a_duplicate_seat_id_then_the_later_seat_is_named_with_the_first() -> None:
    document = generate_seatmap(sections=3, rows=1, seats=20, ga_zones=0)
    document["sections"][2]["rows"][0]["seats"][14]["id"] = "101-A-15"

    assert problems_of(document) == [
        (
            "sections[2].rows[0].seats[14].id",
            'duplicate "101-A-15" (first at sections[0].rows[0].seats[14].id)',
        )
    ]


def test_given_many_problems_then_every_one_is_reported_in_document_order(
    small_seatmap: dict[str, Any],
) -> None:
    document = copy.deepcopy(small_seatmap)
    section = document["sections"][1]
    section["rows"][1]["id"] = "A"
    section["rows"][0]["seats"][0]["x"] = "left"
    section["rows"][0]["seats"][1]["price_category"] = "vip"
    document["ga_zones"][0]["capacity"] = -5
    document["ga_zones"][1]["id"] = "S1"

    assert problems_of(document) == [
        ("sections[1].rows[0].seats[0].x", "must be a number from -1000000000 to 1000000000"),
        ("sections[1].rows[0].seats[1].price_category", 'unknown price category "vip"'),
        ("sections[1].rows[1].id", 'duplicate "A" (first at sections[1].rows[0].id)'),
        ("ga_zones[0].capacity", "must be a whole number from 1 to 2147483647"),
        ("ga_zones[1].id", 'duplicate "S1" (first at sections[0].id)'),
    ]


def test_given_no_declared_categories_then_any_category_id_is_accepted(
    small_seatmap: dict[str, Any],
) -> None:
    document = copy.deepcopy(small_seatmap)
    del document["price_categories"]
    document["sections"][0]["rows"][0]["seats"][0]["price_category"] = "anything"

    assert isinstance(parse_seatmap(document), Ok)


def test_given_missing_fields_then_each_is_required() -> None:
    document = {"sections": [{"id": "S1", "rows": [{"id": "A", "seats": [{"id": "S1-A-1"}]}]}]}

    assert problems_of(document) == [
        ("name", "is required"),
        ("sections[0].name", "is required"),
        ("sections[0].rows[0].seats[0].number", "is required"),
        ("sections[0].rows[0].seats[0].x", "is required"),
        ("sections[0].rows[0].seats[0].y", "is required"),
        ("sections[0].rows[0].seats[0].price_category", "is required"),
    ]


def test_a_seatmap_with_no_seats_and_no_zones_is_refused() -> None:
    assert problems_of({"name": "Empty", "sections": []}) == [
        ("sections", "the seatmap has no seats and no GA zones")
    ]


def test_a_document_that_is_not_an_object_is_refused() -> None:
    assert parse_seatmap(["not", "a", "seatmap"]) == Err(
        InvalidSeatmap((Problem("", "the seatmap must be a JSON object"),))
    )


def test_given_a_valid_document_then_the_seatmap_keeps_its_values(
    small_seatmap: dict[str, Any],
) -> None:
    small_seatmap["sections"][0]["rows"][0]["seats"][0]["accessible"] = True

    result = parse_seatmap(small_seatmap)

    assert isinstance(result, Ok)
    seatmap = result.value
    first = seatmap.sections[0].rows[0].seats[0]
    assert (first.id, first.number, first.x, first.accessible) == ("S1-A-1", 1, 10.0, True)
    assert seatmap.sections[0].rows[0].seats[1].accessible is False
    assert seatmap.ga_zones[0] == GaZone(
        id="GA-2", name="Floor right", capacity=300, price_category="floor"
    )
    assert seatmap.categories_used() == ["front", "back", "floor"]


def test_progress_is_reported_once_per_section(small_seatmap: dict[str, Any]) -> None:
    checked: list[None] = []

    parse_seatmap(small_seatmap, on_section=lambda: checked.append(None))

    assert len(checked) == len(small_seatmap["sections"])
