"""Expected outcomes of the catalog use cases, as small frozen values."""

from __future__ import annotations

import msgspec


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a request, at its JSON path (``sections[2].rows[0].seats[14].id``)."""

    path: str
    message: str


class InvalidSeatmap(msgspec.Struct, frozen=True):
    """Every problem found in a seatmap document, in document order."""

    problems: tuple[Problem, ...]


class InvalidVenue(msgspec.Struct, frozen=True):
    problems: tuple[Problem, ...]


class InvalidEvent(msgspec.Struct, frozen=True):
    """Every problem with an event's details, including seatmap categories it leaves unpriced."""

    problems: tuple[Problem, ...]


class VenueExists(msgspec.Struct, frozen=True, kw_only=True):
    venue_id: str


class VenueNotFound(msgspec.Struct, frozen=True, kw_only=True):
    """No such venue in the organisation; another organisation's venue is not found either."""

    venue_id: str


class SeatmapNotFound(msgspec.Struct, frozen=True, kw_only=True):
    venue_id: str
    seatmap_id: str


class SeatmapTooLarge(msgspec.Struct, frozen=True, kw_only=True):
    """The seatmap is over the store's size limit for one document."""

    limit_bytes: int


class EventExists(msgspec.Struct, frozen=True, kw_only=True):
    event_id: str


class EventNotFound(msgspec.Struct, frozen=True, kw_only=True):
    event_id: str
