"""Domain layer of the catalog context: venues, seatmaps, events and their rules."""

from lml_catalog.domain.errors import (
    EventExists,
    EventNotFound,
    InvalidCursor,
    InvalidEvent,
    InvalidSeatmap,
    InvalidVenue,
    Problem,
    SeatmapNotFound,
    SeatmapTooLarge,
    VenueExists,
    VenueNotFound,
)
from lml_catalog.domain.events import (
    DEFAULT_MAX_SEATS_PER_HOLD,
    MAX_SEATS_PER_HOLD,
    Event,
    EventTerms,
    PriceCategory,
    SalesChannel,
    terms_problems,
    unpriced_categories,
)
from lml_catalog.domain.inventory import SeatStock, seat_stock
from lml_catalog.domain.paging import Cursor, Page, decode_cursor, encode_cursor, page_of
from lml_catalog.domain.seatmap_generation import generate_seatmap
from lml_catalog.domain.seatmap_validation import parse_seatmap
from lml_catalog.domain.seatmaps import (
    SEATMAP_ID,
    GaZone,
    Row,
    Seat,
    Seatmap,
    SeatmapCategory,
    SeatmapKey,
    Section,
    seatmap_id_problems,
)
from lml_catalog.domain.venues import Venue, venue_problems

__all__ = [
    "DEFAULT_MAX_SEATS_PER_HOLD",
    "MAX_SEATS_PER_HOLD",
    "SEATMAP_ID",
    "Cursor",
    "Event",
    "EventExists",
    "EventNotFound",
    "EventTerms",
    "GaZone",
    "InvalidCursor",
    "InvalidEvent",
    "InvalidSeatmap",
    "InvalidVenue",
    "Page",
    "PriceCategory",
    "Problem",
    "Row",
    "SalesChannel",
    "Seat",
    "SeatStock",
    "Seatmap",
    "SeatmapCategory",
    "SeatmapKey",
    "SeatmapNotFound",
    "SeatmapTooLarge",
    "Section",
    "Venue",
    "VenueExists",
    "VenueNotFound",
    "decode_cursor",
    "encode_cursor",
    "generate_seatmap",
    "page_of",
    "parse_seatmap",
    "seat_stock",
    "seatmap_id_problems",
    "terms_problems",
    "unpriced_categories",
    "venue_problems",
]
