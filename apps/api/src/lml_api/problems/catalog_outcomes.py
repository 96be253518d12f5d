"""The catalog's outcomes as Problem Details."""

from __future__ import annotations

from lml_api.problems.errors import ProblemError, validation_error
from lml_api.problems.table import ProblemTable, row
from lml_catalog.domain import (
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


def invalid(problems: tuple[Problem, ...]) -> ProblemError:
    return validation_error((problem.path, problem.message) for problem in problems)


def generated_id_taken(error: VenueExists | EventExists) -> ProblemError:
    # The API never chooses ids, so a clash is a generated-id collision: a bug.
    raise RuntimeError(f"generated id already taken: {error!r}")


CATALOG_PROBLEMS = ProblemTable(
    row(VenueNotFound, lambda e: ProblemError("not-found", f"There is no venue {e.venue_id!r}.")),
    row(
        SeatmapNotFound,
        lambda e: ProblemError(
            "not-found", f"Venue {e.venue_id!r} has no seatmap {e.seatmap_id!r}."
        ),
    ),
    row(EventNotFound, lambda e: ProblemError("not-found", f"There is no event {e.event_id!r}.")),
    row(InvalidVenue, lambda e: invalid(e.problems)),
    row(InvalidSeatmap, lambda e: invalid(e.problems)),
    row(InvalidEvent, lambda e: invalid(e.problems)),
    row(InvalidCursor, lambda _: validation_error([("cursor", "is not a cursor this API issued")])),
    row(
        SeatmapTooLarge,
        lambda e: ProblemError(
            "payload-too-large",
            f"The seatmap is over the {e.limit_bytes} bytes one seatmap may take.",
        ),
    ),
    row(VenueExists, generated_id_taken),
    row(EventExists, generated_id_taken),
)
