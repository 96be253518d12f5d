"""Why a seating request was refused: expected outcomes, returned as ``Err`` values."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class FieldError(msgspec.Struct, frozen=True):
    field: str
    message: str


class InvalidRequest(msgspec.Struct, frozen=True):
    """The request breaks a rule that needs no stored state (shape, bounds)."""

    errors: tuple[FieldError, ...]


class EventNotFound(msgspec.Struct, frozen=True):
    event_id: str


class UnknownSeats(msgspec.Struct, frozen=True):
    seat_ids: tuple[str, ...]


class UnknownZones(msgspec.Struct, frozen=True):
    zone_ids: tuple[str, ...]


class UnknownSalesChannel(msgspec.Struct, frozen=True):
    sales_channel_id: str


class TooManySeats(msgspec.Struct, frozen=True):
    limit: int
    requested: int


class SeatConflict(msgspec.Struct, frozen=True):
    """Some seats or GA places are not available; nothing was held."""

    seat_ids: tuple[str, ...]
    zone_ids: tuple[str, ...]


class HoldNotFound(msgspec.Struct, frozen=True):
    hold_id: str


HoldTokenProblem = Literal["not_sent", "wrong", "ended", "expired"]


class HoldTokenRefused(msgspec.Struct, frozen=True):
    """No hold token was sent, or it is wrong, or the hold is no longer active; nothing changed."""

    reason: HoldTokenProblem


class LifetimeExceeded(msgspec.Struct, frozen=True):
    """The extension would carry the hold past its maximum total lifetime."""

    max_expires_at: datetime
