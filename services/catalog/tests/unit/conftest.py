"""Fixtures: the in-memory adapters, an organisation's venue, and a small seatmap document.

pytest runs with --import-mode=importlib, so tests reach these through fixtures
rather than by importing this module.
"""

from __future__ import annotations

from typing import Any

import pytest

from lml_catalog.application import CreateVenue, create_venue
from lml_catalog.domain import Venue
from lml_catalog.fakes import (
    InMemoryEvents,
    InMemorySeatmaps,
    InMemoryVenues,
    SequentialIds,
    SteppingClock,
)
from lml_result import Ok

ORG = "org_acme"


@pytest.fixture
def venues() -> InMemoryVenues:
    return InMemoryVenues()


@pytest.fixture
def seatmaps() -> InMemorySeatmaps:
    return InMemorySeatmaps()


@pytest.fixture
def events() -> InMemoryEvents:
    return InMemoryEvents()


@pytest.fixture
def ids() -> SequentialIds:
    return SequentialIds()


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def org_id() -> str:
    return ORG


@pytest.fixture
async def venue(venues: InMemoryVenues, ids: SequentialIds, clock: SteppingClock) -> Venue:
    result = await create_venue(
        CreateVenue(org_id=ORG, name="Acme Arena"), venues=venues, ids=ids, clock=clock
    )
    assert isinstance(result, Ok)
    return result.value


@pytest.fixture
def small_seatmap() -> dict[str, Any]:
    """Two sections of two rows of three seats, in two categories, and two GA zones."""
    return {
        "name": "Acme Arena, end stage",
        "price_categories": [
            {"id": "front", "name": "Front"},
            {"id": "back", "name": "Back"},
            {"id": "floor", "name": "Floor"},
        ],
        "sections": [
            {
                "id": section,
                "name": f"Section {section}",
                "rows": [
                    {
                        "id": row,
                        "seats": [
                            {
                                "id": f"{section}-{row}-{number}",
                                "number": number,
                                "x": 10.0 * number,
                                "y": 2.5 * ord(row),
                                "price_category": "front" if row == "A" else "back",
                            }
                            for number in (1, 2, 3)
                        ],
                    }
                    for row in ("A", "B")
                ],
            }
            for section in ("S1", "S2")
        ],
        "ga_zones": [
            {"id": "GA-2", "name": "Floor right", "capacity": 300, "price_category": "floor"},
            {"id": "GA-1", "name": "Floor left", "capacity": 200, "price_category": "floor"},
        ],
    }
