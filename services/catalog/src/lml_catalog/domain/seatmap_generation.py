"""Realistic seatmap documents of any size, for demos, imports and benchmarks.

Sections sit around an oval bowl facing the pitch, numbered from 101; rows are
lettered from the front (A, B, ... Z, AA, ...); seats are numbered along each row
and placed on the row's arc. Front rows are ``premium``, the middle ``standard``,
the back ``economy``; the two aisle seats of each front row are accessible. GA zones
are floor areas priced ``floor``.
"""

from __future__ import annotations

import math
import string
from typing import Any

CATEGORY_NAMES = {
    "premium": "Premium",
    "standard": "Standard",
    "economy": "Economy",
    "floor": "Floor standing",
}
TIERS = ("premium", "standard", "economy")
# Metres: the oval the first row stands on, and how far each row is behind the last.
FIRST_ROW_RADII = (70.0, 50.0)
ROW_DEPTH = 0.9
SEAT_WIDTH = 0.5
DEFAULT_GA_CAPACITY = 1_500


def row_label(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: how venues letter rows from the front."""
    letters = string.ascii_uppercase
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, len(letters))
        label = letters[remainder] + label
    return label


def tier_of(row: int, rows: int) -> str:
    return TIERS[min(len(TIERS) - 1, row * len(TIERS) // max(rows, 1))]


def generate_seatmap(
    *,
    sections: int,
    rows: int,
    seats: int,
    ga_zones: int,
    name: str = "Generated Stadium",
    ga_capacity: int = DEFAULT_GA_CAPACITY,
) -> dict[str, Any]:
    """A seatmap document of ``sections * rows * seats`` seats and ``ga_zones`` GA zones.

    The same arguments always give the same document.
    """
    document_sections = [_section(number, sections, rows, seats) for number in range(sections)]
    zones = [
        {
            "id": f"GA-{number + 1}",
            "name": f"Floor {row_label(number)}",
            "capacity": ga_capacity,
            "price_category": "floor",
        }
        for number in range(ga_zones)
    ]
    used = {tier_of(row, rows) for row in range(rows)} if sections and seats else set()
    if zones:
        used.add("floor")
    return {
        "name": name,
        "price_categories": [
            {"id": category, "name": CATEGORY_NAMES[category]}
            for category in CATEGORY_NAMES
            if category in used
        ],
        "sections": document_sections,
        "ga_zones": zones,
    }


def _section(number: int, sections: int, rows: int, seats: int) -> dict[str, Any]:
    section_id = str(101 + number)
    wedge = 2 * math.pi / max(sections, 1)
    centre = wedge * number
    radius_x, radius_y = FIRST_ROW_RADII
    document_rows = []
    for row in range(rows):
        label = row_label(row)
        depth = row * ROW_DEPTH
        arc_radius = math.hypot(
            (radius_x + depth) * math.cos(centre), (radius_y + depth) * math.sin(centre)
        )
        # Seats spread evenly along the row, centred on the section's middle.
        step = SEAT_WIDTH / arc_radius
        category = tier_of(row, rows)
        document_rows.append(
            {
                "id": label,
                "seats": [
                    _seat(
                        section_id,
                        label,
                        seat,
                        angle=centre + (seat - (seats - 1) / 2) * step,
                        radii=(radius_x + depth, radius_y + depth),
                        category=category,
                        accessible=row == 0 and seat in (0, seats - 1),
                    )
                    for seat in range(seats)
                ],
            }
        )
    return {"id": section_id, "name": f"Section {section_id}", "rows": document_rows}


def _seat(
    section_id: str,
    row_id: str,
    seat: int,
    *,
    angle: float,
    radii: tuple[float, float],
    category: str,
    accessible: bool,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": f"{section_id}-{row_id}-{seat + 1}",
        "number": seat + 1,
        "x": round(radii[0] * math.cos(angle), 2),
        "y": round(radii[1] * math.sin(angle), 2),
        "price_category": category,
    }
    if accessible:
        document["accessible"] = True
    return document
