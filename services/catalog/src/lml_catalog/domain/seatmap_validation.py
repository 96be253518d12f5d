"""Seatmap validation: every problem in a document, each at its JSON path, in one pass.

The document is checked as decoded JSON (dicts and lists), so a seat with a bad
coordinate still has its id checked for duplicates: the caller hears about every
problem at once, not the first one per retry. Only a document without problems is
converted to a ``Seatmap``.

Rules: seat ids are unique in the seatmap, row ids within their section, section and
GA zone ids together (an inventory row names its seat's section as its zone); every
category is declared when the document lists ``price_categories``; GA capacities are
positive; coordinates are numbers; a seatmap has at least one seat or zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeGuard

import msgspec

from lml_catalog.domain.errors import InvalidSeatmap, Problem
from lml_catalog.domain.seatmaps import (
    MAX_COORDINATE,
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SEAT_NUMBER,
    MAX_ZONE_CAPACITY,
    Seatmap,
)
from lml_result import Err, Ok, Result

BAD_ID = f"must be a string of 1 to {MAX_ID_LENGTH} printable characters, not padded with spaces"
BAD_NAME = f"must be a non-blank string of at most {MAX_NAME_LENGTH} characters"
BAD_LIST = "must be a list"
BAD_OBJECT = "must be an object"
BAD_NUMBER = f"must be a whole number from 1 to {MAX_SEAT_NUMBER}"
BAD_COORDINATE = f"must be a number from {-MAX_COORDINATE:.0f} to {MAX_COORDINATE:.0f}"
BAD_CAPACITY = f"must be a whole number from 1 to {MAX_ZONE_CAPACITY}"
REQUIRED = "is required"

# Where an id was first seen: a path, or the indexes of a seat, formatted only when needed.
FirstSeen = str | tuple[int, int, int]


def parse_seatmap(
    document: object, *, on_section: Callable[[], None] | None = None
) -> Result[Seatmap, InvalidSeatmap]:
    """The seatmap in ``document``, or every problem with it.

    ``on_section`` is called after each section is checked, to show progress on
    large documents.
    """
    problems = _SeatmapCheck(on_section).problems_of(document)
    if problems:
        return Err(InvalidSeatmap(tuple(problems)))
    return Ok(msgspec.convert(document, Seatmap))


def is_id(value: object) -> TypeGuard[str]:
    return (
        type(value) is str
        and 0 < len(value) <= MAX_ID_LENGTH
        and value.isprintable()
        and value == value.strip()
    )


def is_name(value: object) -> TypeGuard[str]:
    return type(value) is str and 0 < len(value) <= MAX_NAME_LENGTH and not value.isspace()


def is_coordinate(value: object) -> bool:
    return (
        type(value) is int or type(value) is float
    ) and -MAX_COORDINATE <= value <= MAX_COORDINATE


def why(mapping: dict[str, Any], key: str, message: str) -> str:
    """``message``, or that the field is missing."""
    return message if key in mapping else REQUIRED


def seat_path(first: FirstSeen) -> str:
    if isinstance(first, str):
        return first
    section, row, seat = first
    return f"sections[{section}].rows[{row}].seats[{seat}].id"


class _SeatmapCheck:
    def __init__(self, on_section: Callable[[], None] | None) -> None:
        self.problems: list[Problem] = []
        self.on_section = on_section
        self.seat_ids: dict[str, FirstSeen] = {}
        self.area_ids: dict[str, str] = {}  # section and GA zone ids share one namespace
        self.categories: frozenset[str] | None = None
        self.seats = 0

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def problems_of(self, document: object) -> list[Problem]:
        if not isinstance(document, dict):
            self.add("", "the seatmap must be a JSON object")
            return self.problems
        if not is_name(document.get("name")):
            self.add("name", why(document, "name", BAD_NAME))
        self.check_declared_categories(document.get("price_categories"))
        sections = document.get("sections")
        if not isinstance(sections, list):
            self.add("sections", why(document, "sections", BAD_LIST))
        else:
            for index, section in enumerate(sections):
                self.check_section(index, section)
                if self.on_section is not None:
                    self.on_section()
        zones = document.get("ga_zones", [])
        if not isinstance(zones, list):
            self.add("ga_zones", BAD_LIST)
        else:
            for index, zone in enumerate(zones):
                self.check_zone(index, zone)
        if not self.seats and not zones and isinstance(sections, list):
            self.add("sections", "the seatmap has no seats and no GA zones")
        return self.problems

    def check_declared_categories(self, declared: object) -> None:
        if declared is None:
            return
        if not isinstance(declared, list):
            self.add("price_categories", BAD_LIST)
            return
        seen: dict[str, str] = {}
        for index, category in enumerate(declared):
            path = f"price_categories[{index}]"
            self.check_named(path, category, seen, first_at=path)
        self.categories = frozenset(seen)

    def check_category(self, path: str, owner: dict[str, Any]) -> None:
        category = owner.get("price_category")
        if not is_id(category):
            self.add(path, why(owner, "price_category", BAD_ID))
        elif self.categories is not None and category not in self.categories:
            self.add(path, f'unknown price category "{category}"')

    def check_unique_id(
        self, path: str, owner: dict[str, Any], seen: dict[str, str], *, first_at: str | None = None
    ) -> None:
        """``owner``'s id, at ``path``, is well formed and not in ``seen`` yet; a later duplicate
        says it first stood at ``first_at`` (by default ``path``)."""
        owner_id = owner.get("id")
        if not is_id(owner_id):
            self.add(path, why(owner, "id", BAD_ID))
        elif owner_id in seen:
            self.add(path, f'duplicate "{owner_id}" (first at {seen[owner_id]})')
        else:
            seen[owner_id] = path if first_at is None else first_at

    def check_named(
        self, path: str, item: object, seen: dict[str, str], *, first_at: str | None = None
    ) -> dict[str, Any] | None:
        """``item``, at ``path``, is an object with a unique id (see ``check_unique_id``) and a
        name: a declared category, a section or a GA zone. None when it is no object."""
        if not isinstance(item, dict):
            self.add(path, BAD_OBJECT)
            return None
        self.check_unique_id(f"{path}.id", item, seen, first_at=first_at)
        if not is_name(item.get("name")):
            self.add(f"{path}.name", why(item, "name", BAD_NAME))
        return item

    def check_section(self, index: int, item: object) -> None:
        path = f"sections[{index}]"
        section = self.check_named(path, item, self.area_ids)
        if section is None:
            return
        rows = section.get("rows")
        if not isinstance(rows, list):
            self.add(f"{path}.rows", why(section, "rows", BAD_LIST))
            return
        row_ids: dict[str, str] = {}
        for row_index, row in enumerate(rows):
            row_path = f"{path}.rows[{row_index}]"
            if not isinstance(row, dict):
                self.add(row_path, BAD_OBJECT)
                continue
            self.check_unique_id(f"{row_path}.id", row, row_ids)
            seats = row.get("seats")
            if not isinstance(seats, list):
                self.add(f"{row_path}.seats", why(row, "seats", BAD_LIST))
                continue
            self.check_seats(index, row_index, row_path, seats)

    def check_seats(self, section: int, row: int, row_path: str, seats: list[Any]) -> None:
        """The hot loop of a stadium: plain lookups, and paths built only for a problem."""
        seat_ids = self.seat_ids
        categories = self.categories
        for index, seat in enumerate(seats):
            if not isinstance(seat, dict):
                self.add(f"{row_path}.seats[{index}]", BAD_OBJECT)
                continue
            seat_id = seat.get("id")
            if not is_id(seat_id):
                self.add(f"{row_path}.seats[{index}].id", why(seat, "id", BAD_ID))
            elif seat_id in seat_ids:
                first = seat_path(seat_ids[seat_id])
                self.add(
                    f"{row_path}.seats[{index}].id", f'duplicate "{seat_id}" (first at {first})'
                )
            else:
                seat_ids[seat_id] = (section, row, index)
            number = seat.get("number")
            if type(number) is not int or not 0 < number <= MAX_SEAT_NUMBER:
                self.add(f"{row_path}.seats[{index}].number", why(seat, "number", BAD_NUMBER))
            for axis in ("x", "y"):
                if not is_coordinate(seat.get(axis)):
                    self.add(f"{row_path}.seats[{index}].{axis}", why(seat, axis, BAD_COORDINATE))
            category = seat.get("price_category")
            # Declared categories were checked as ids already; membership is the whole test.
            if type(category) is not str or not (
                category in categories if categories is not None else is_id(category)
            ):
                self.check_category(f"{row_path}.seats[{index}].price_category", seat)
            accessible = seat.get("accessible", False)
            if type(accessible) is not bool:
                self.add(f"{row_path}.seats[{index}].accessible", "must be true or false")
        self.seats += len(seats)

    def check_zone(self, index: int, item: object) -> None:
        path = f"ga_zones[{index}]"
        zone = self.check_named(path, item, self.area_ids)
        if zone is None:
            return
        capacity = zone.get("capacity")
        if type(capacity) is not int or not 0 < capacity <= MAX_ZONE_CAPACITY:
            self.add(f"{path}.capacity", why(zone, "capacity", BAD_CAPACITY))
        self.check_category(f"{path}.price_category", zone)
