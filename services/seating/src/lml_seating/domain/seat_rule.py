"""When a seat can be taken: the rule PostgreSQL applies as ``lml.seat_can_be_taken``
(migrations/0008), for the in-memory inventory. A contract test holds the two together."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

SeatStatus = Literal["available", "held", "sold", "blocked"]


def seat_status_at(
    status: SeatStatus, hold_expires_at: datetime | None, at: datetime
) -> SeatStatus:
    """A seat still marked held by a hold whose time ran out by ``at`` is available."""
    if status == "held" and hold_expires_at is not None and hold_expires_at <= at:
        return "available"
    return status


def may_hold_through(seat_channel: str | None, requested_channel: str | None) -> bool:
    """A seat reserved for a sales channel can only be held through that channel."""
    return seat_channel is None or seat_channel == requested_channel


def seat_can_be_taken(
    status: SeatStatus,
    hold_expires_at: datetime | None,
    seat_channel: str | None,
    hold_channel: str | None,
    at: datetime,
) -> bool:
    return seat_status_at(status, hold_expires_at, at) == "available" and may_hold_through(
        seat_channel, hold_channel
    )
