"""Availability events, in the shape the SSE stream sends them (API.md "Availability")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import msgspec

from lml_seating.domain.holds import GaQuantity

SEATS_HELD = "seat.held"
SEATS_RELEASED = "seat.released"
SEATS_SOLD = "seat.sold"
ZONE_UPDATED = "zone.updated"

# Why a converted hold's places were freed: its order was canceled, or expired unpaid.
OrderEndReason = Literal["order_canceled", "order_expired"]
ReleaseReason = Literal["released", "expired", "rolled_back", "order_canceled", "order_expired"]


def rfc3339(moment: datetime) -> str:
    """UTC with milliseconds, the precision of hold times: ``2026-11-30T20:15:00.250Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SeatsChanged(msgspec.Struct, frozen=True, kw_only=True):
    """What every hold event says: which hold of which event, its seats and places."""

    event_id: str
    hold_id: str
    seat_ids: tuple[str, ...]
    ga: tuple[GaQuantity, ...]
    sales_channel_id: str | None


class SeatsHeld(SeatsChanged, frozen=True, kw_only=True):
    expires_at: str


class SeatsReleased(SeatsChanged, frozen=True, kw_only=True):
    reason: ReleaseReason


class SeatsSold(msgspec.Struct, frozen=True, kw_only=True):
    """A paid order's seats and places are sold for good."""

    event_id: str
    order_id: str
    seat_ids: tuple[str, ...]
    ga: tuple[GaQuantity, ...]
    sales_channel_id: str | None


class ZoneUpdated(msgspec.Struct, frozen=True, kw_only=True):
    """A GA zone's counters as they are after a change: watchers set them, never add."""

    event_id: str
    zone_id: str
    available: int
    held: int
    sold: int


class PublishedEvent(msgspec.Struct, frozen=True):
    """One entry of an event's availability stream: ``data`` is the JSON the client gets."""

    id: str
    type: str
    data: bytes
