"""The catalog's outcomes as Problem Details."""

from __future__ import annotations

import lml_catalog.domain as catalog
from lml_api.problems.errors import ProblemError, validation_error
from lml_api.problems.table import ProblemTable, row


def invalid(problems: tuple[catalog.Problem, ...]) -> ProblemError:
    return validation_error((problem.path, problem.message) for problem in problems)


def generated_id_taken(error: catalog.VenueExists | catalog.EventExists) -> ProblemError:
    # The API never chooses ids, so a clash is a generated-id collision: a bug.
    raise RuntimeError(f"generated id already taken: {error!r}")


CATALOG_PROBLEMS = ProblemTable(
    row(
        catalog.VenueNotFound,
        lambda e: ProblemError("not-found", f"There is no venue {e.venue_id!r}."),
    ),
    row(
        catalog.SeatmapNotFound,
        lambda e: ProblemError(
            "not-found", f"Venue {e.venue_id!r} has no seatmap {e.seatmap_id!r}."
        ),
    ),
    row(
        catalog.EventNotFound,
        lambda e: ProblemError("not-found", f"There is no event {e.event_id!r}."),
    ),
    row(catalog.InvalidVenue, lambda e: invalid(e.problems)),
    row(catalog.InvalidSeatmap, lambda e: invalid(e.problems)),
    row(catalog.InvalidEvent, lambda e: invalid(e.problems)),
    row(
        catalog.SeatmapTooLarge,
        lambda e: ProblemError(
            "payload-too-large",
            f"The seatmap is over the {e.limit_bytes} bytes one seatmap may take.",
        ),
    ),
    row(catalog.VenueExists, generated_id_taken),
    row(catalog.EventExists, generated_id_taken),
)
