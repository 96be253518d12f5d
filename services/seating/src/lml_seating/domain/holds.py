"""A hold: seats and general-admission places kept for one buyer until it expires."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec


class GaQuantity(msgspec.Struct, frozen=True):
    """How many places of one general-admission zone a hold takes."""

    zone_id: str
    quantity: int


class HoldStatus(enum.Enum):
    ACTIVE = "active"
    RELEASED = "released"
    EXPIRED = "expired"
    CONVERTED = "converted"
    SOLD = "sold"


class HoldScope(msgspec.Struct, frozen=True, kw_only=True):
    """Whose hold, of which event, keeping which seats and places, through which channel:
    all the lock store needs to find a hold's keys and to describe it in its events."""

    id: str
    org_id: str
    event_id: str
    seat_ids: tuple[str, ...]
    ga: tuple[GaQuantity, ...]
    sales_channel_id: str | None


class Hold(HoldScope, frozen=True, kw_only=True):
    status: HoldStatus
    created_at: datetime
    expires_at: datetime
    max_expires_at: datetime

    def status_at(self, now: datetime) -> HoldStatus:
        """An active hold whose time has run out is expired, swept or not."""
        if self.status is HoldStatus.ACTIVE and self.expires_at <= now:
            return HoldStatus.EXPIRED
        return self.status


class HoldGrant(msgspec.Struct, frozen=True):
    """A new hold and its token: the one time the token is handed out."""

    hold: Hold
    token: str


class PricedSeat(msgspec.Struct, frozen=True, kw_only=True):
    seat_id: str
    price_category: str


class PricedPlaces(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: str
    price_category: str
    quantity: int


class ConvertedHold(msgspec.Struct, frozen=True, kw_only=True):
    """A hold turned into an order's reservation: its scope, and its seats and GA places
    with the price category each is sold at."""

    scope: HoldScope
    seats: tuple[PricedSeat, ...]
    zones: tuple[PricedPlaces, ...]
