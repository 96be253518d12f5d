"""A venue's seatmap: sections of rows of seats, and general-admission (GA) zones.

The shape is the public document of ``PUT /v1/venues/{venue_id}/seatmaps/{seatmap_id}``;
``parse_seatmap`` (in ``seatmap_validation``) is the only way to make one from input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

from lml_catalog.domain.errors import Problem

MAX_ID_LENGTH = 64
MAX_NAME_LENGTH = 200
# The largest GA capacity PostgreSQL's integer counter column holds.
MAX_ZONE_CAPACITY = 2_147_483_647
# Bounds that keep every number storable (BSON has no integers beyond 64 bits) and sane.
MAX_SEAT_NUMBER = 1_000_000
MAX_COORDINATE = 1e9
# Seatmap ids are chosen by the client and appear in URLs and storage keys.
SEATMAP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


# gc=False: a stadium has tens of thousands of seats, and a seat holds no reference
# that could form a cycle, so the garbage collector need not track them.
class Seat(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    id: str
    number: int
    x: float
    y: float
    price_category: str
    accessible: bool = False


class Row(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    seats: tuple[Seat, ...]


class Section(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    rows: tuple[Row, ...]


class GaZone(msgspec.Struct, frozen=True, kw_only=True):
    """A standing or unreserved area: places are counted, not named."""

    id: str
    name: str
    capacity: int
    price_category: str


class SeatmapCategory(msgspec.Struct, frozen=True, kw_only=True):
    """A price category a seatmap declares; the event gives it an amount."""

    id: str
    name: str


class Seatmap(msgspec.Struct, frozen=True, kw_only=True):
    """A valid seatmap: ids unique, categories declared when a list is given, capacities positive.

    ``price_categories`` is optional; when present, every seat and zone uses one of them.
    """

    name: str
    sections: tuple[Section, ...]
    ga_zones: tuple[GaZone, ...] = ()
    price_categories: tuple[SeatmapCategory, ...] | None = None

    def seats(self) -> Iterator[tuple[Section, Seat]]:
        """Every seat with its section, in document order."""
        for section in self.sections:
            for row in section.rows:
                for seat in row.seats:
                    yield section, seat

    def seat_count(self) -> int:
        return sum(len(row.seats) for section in self.sections for row in section.rows)

    def categories_used(self) -> list[str]:
        """The price categories of seats and zones, each once, in order of first use."""
        used: dict[str, None] = {}
        for section in self.sections:
            for row in section.rows:
                used.update(dict.fromkeys(seat.price_category for seat in row.seats))
        used.update(dict.fromkeys(zone.price_category for zone in self.ga_zones))
        return list(used)


class SeatmapKey(msgspec.Struct, frozen=True):
    """Where a seatmap lives: its organisation, its venue, and the client's id for it."""

    org_id: str
    venue_id: str
    seatmap_id: str


def seatmap_id_problems(seatmap_id: str) -> list[Problem]:
    if SEATMAP_ID.fullmatch(seatmap_id):
        return []
    return [
        Problem(
            "seatmap_id",
            "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    ]
