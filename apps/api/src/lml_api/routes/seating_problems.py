"""The one table from seating outcomes to Problem Details."""

from __future__ import annotations

from lml_api.problems import ProblemError
from lml_seating.domain import (
    EventNotFound,
    HoldNotFound,
    InvalidRequest,
    LifetimeExceeded,
    SeatConflict,
    TokenRejected,
    TooManySeats,
    UnknownSalesChannel,
    UnknownSeats,
    UnknownZones,
    rfc3339,
)

SeatingError = (
    InvalidRequest
    | EventNotFound
    | UnknownSeats
    | UnknownZones
    | UnknownSalesChannel
    | TooManySeats
    | SeatConflict
    | HoldNotFound
    | TokenRejected
    | LifetimeExceeded
)

_TOKEN_DETAILS = {
    "missing": 'Send the hold token as If-Match: "<hold_token>" or as hold_token.',
    "wrong": "The hold token does not match this hold.",
    "ended": "The hold was released or has expired; its token no longer works.",
    "expired": "The hold has expired; its token no longer works.",
}


def invalid(field: str, messages: list[str]) -> ProblemError:
    return ProblemError(
        "validation-error",
        "The request does not satisfy the contract.",
        errors=[{"field": field, "message": message} for message in messages],
    )


def seating_problem(error: SeatingError) -> ProblemError:
    match error:
        case InvalidRequest(errors):
            return ProblemError(
                "validation-error",
                "The request does not satisfy the contract.",
                errors=[{"field": item.field, "message": item.message} for item in errors],
            )
        case EventNotFound(event_id):
            return ProblemError("not-found", f"There is no event {event_id!r}.")
        case UnknownSeats(seat_ids):
            return invalid("seat_ids", [f"the event has no seat {seat!r}" for seat in seat_ids])
        case UnknownZones(zone_ids):
            return invalid("ga", [f"the event has no GA zone {zone!r}" for zone in zone_ids])
        case UnknownSalesChannel(channel):
            return invalid("sales_channel_id", [f"the event has no sales channel {channel!r}"])
        case TooManySeats(limit, requested):
            return ProblemError(
                "hold-limit-exceeded",
                f"A hold of this event takes at most {limit} seats and places; "
                f"this one asks for {requested}.",
                max_seats_per_hold=limit,
            )
        case SeatConflict(seat_ids, zone_ids):
            return ProblemError(
                "seat-conflict",
                "Some seats or places are not available; nothing was held.",
                conflicting_seats=list(seat_ids),
                conflicting_zones=list(zone_ids),
            )
        case HoldNotFound(hold_id):
            return ProblemError("not-found", f"There is no hold {hold_id!r}.")
        case TokenRejected(reason):
            return ProblemError("precondition-failed", _TOKEN_DETAILS[reason])
        case LifetimeExceeded(max_expires_at):
            return ProblemError(
                "hold-limit-exceeded",
                "The hold cannot be extended past its maximum lifetime.",
                max_expires_at=rfc3339(max_expires_at),
            )
