"""What an event sells: one stock row per seat of its seatmap, one counter per GA zone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from lml_catalog.domain.seatmaps import Seatmap


class SeatStock(NamedTuple):
    """One seat of an event, available until held. Its zone is its section."""

    seat_id: str
    price_category: str
    zone_id: str


def seat_stock(seatmap: Seatmap) -> Iterator[SeatStock]:
    """The seats of ``seatmap`` as stock rows, lazily: a stadium needs no list of them."""
    for section in seatmap.sections:
        zone_id = section.id
        for row in section.rows:
            for seat in row.seats:
                yield SeatStock(seat.id, seat.price_category, zone_id)
