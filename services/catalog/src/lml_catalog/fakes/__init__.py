"""In-memory adapters for every catalog port, for unit tests and demos."""

from lml_catalog.fakes.clock import SteppingClock
from lml_catalog.fakes.events import InMemoryEvents
from lml_catalog.fakes.ids import SequentialIds
from lml_catalog.fakes.seatmaps import InMemorySeatmaps
from lml_catalog.fakes.venues import InMemoryVenues

__all__ = [
    "InMemoryEvents",
    "InMemorySeatmaps",
    "InMemoryVenues",
    "SequentialIds",
    "SteppingClock",
]
