"""Application layer of the catalog context: the use cases and the ports they need."""

from lml_catalog.application.create_event import CreateEvent, CreateEventError, create_event
from lml_catalog.application.create_venue import CreateVenue, create_venue
from lml_catalog.application.get_event import get_event
from lml_catalog.application.get_seatmap import get_seatmap
from lml_catalog.application.get_venue import get_venue
from lml_catalog.application.list_events import list_events
from lml_catalog.application.list_venues import list_venues
from lml_catalog.application.ports import CatalogIds, Clock, Events, Seatmaps, Venues
from lml_catalog.application.put_seatmap import (
    PutSeatmap,
    PutSeatmapError,
    StoredSeatmap,
    put_seatmap,
)

__all__ = [
    "CatalogIds",
    "Clock",
    "CreateEvent",
    "CreateEventError",
    "CreateVenue",
    "Events",
    "PutSeatmap",
    "PutSeatmapError",
    "Seatmaps",
    "StoredSeatmap",
    "Venues",
    "create_event",
    "create_venue",
    "get_event",
    "get_seatmap",
    "get_venue",
    "list_events",
    "list_venues",
    "put_seatmap",
]
