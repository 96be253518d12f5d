"""Seating's outcomes as Problem Details."""

from __future__ import annotations

import lml_seating.domain as seating
from lml_api.problems.errors import ProblemError, validation_error
from lml_api.problems.table import ProblemTable, row

TOKEN_DETAILS = {
    "not_sent": 'Send the hold token as If-Match: "<hold_token>" or as hold_token.',
    "wrong": "The hold token does not match this hold.",
    "ended": "The hold was released or has expired; its token no longer works.",
    "expired": "The hold has expired; its token no longer works.",
}


def unknown(field: str, messages: list[str]) -> ProblemError:
    return validation_error((field, message) for message in messages)


SEATING_PROBLEMS = ProblemTable(
    row(seating.InvalidRequest, lambda e: validation_error((i.field, i.message) for i in e.errors)),
    row(
        seating.EventNotFound,
        lambda e: ProblemError("not-found", f"There is no event {e.event_id!r}."),
    ),
    row(
        seating.UnknownSeats,
        lambda e: unknown("seat_ids", [f"the event has no seat {seat!r}" for seat in e.seat_ids]),
    ),
    row(
        seating.UnknownZones,
        lambda e: unknown("ga", [f"the event has no GA zone {zone!r}" for zone in e.zone_ids]),
    ),
    row(
        seating.UnknownSalesChannel,
        lambda e: unknown(
            "sales_channel_id", [f"the event has no sales channel {e.sales_channel_id!r}"]
        ),
    ),
    row(
        seating.TooManySeats,
        lambda e: ProblemError(
            "hold-limit-exceeded",
            f"A hold of this event takes at most {e.limit} seats and places; "
            f"this one asks for {e.requested}.",
            max_seats_per_hold=e.limit,
        ),
    ),
    row(
        seating.SeatConflict,
        lambda e: ProblemError(
            "seat-conflict",
            "Some seats or places are not available; nothing was held.",
            conflicting_seats=list(e.seat_ids),
            conflicting_zones=list(e.zone_ids),
        ),
    ),
    row(
        seating.HoldNotFound,
        lambda e: ProblemError("not-found", f"There is no hold {e.hold_id!r}."),
    ),
    row(
        seating.HoldTokenRefused,
        lambda e: ProblemError("precondition-failed", TOKEN_DETAILS[e.reason]),
    ),
    row(
        seating.LifetimeExceeded,
        lambda e: ProblemError(
            "hold-limit-exceeded",
            "The hold cannot be extended past its maximum lifetime.",
            max_expires_at=seating.rfc3339(e.max_expires_at),
        ),
    ),
)
