"""The availability snapshot of an event: every seat's status and every GA zone's counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

import msgspec

from lml_seating.domain.seat_rule import SeatStatus, may_hold_through


class SeatInventory(msgspec.Struct, frozen=True, kw_only=True):
    """One seat as inventory has it: ``held`` only while its hold has not expired."""

    seat_id: str
    status: SeatStatus
    price_category: str
    sales_channel_id: str | None


class ZoneCounts(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: str
    capacity: int
    held: int
    sold: int


class SeatAvailability(msgspec.Struct, frozen=True):
    id: str
    status: SeatStatus
    price_category: str


class ZoneAvailability(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    capacity: int
    available: int
    held: int
    sold: int


class Counts(msgspec.Struct, frozen=True, kw_only=True):
    """Seats and GA places together; the four add up to the event's capacity."""

    available: int
    held: int
    sold: int
    blocked: int


class Availability(msgspec.Struct, frozen=True, kw_only=True):
    event_id: str
    seats: tuple[SeatAvailability, ...]
    zones: tuple[ZoneAvailability, ...]
    counts: Counts


def seat_status(seat: SeatInventory, locked: bool, sales_channel_id: str | None) -> SeatStatus:
    """Sold and blocked come from inventory; a lock in either store makes a free seat held.

    A seat reserved for another sales channel than the one asked about is blocked for it.
    """
    if seat.status in ("sold", "blocked", "held"):
        return seat.status
    if locked:
        return "held"
    if not may_hold_through(seat.sales_channel_id, sales_channel_id):
        return "blocked"
    return "available"


def zone_availability(zone: ZoneCounts) -> ZoneAvailability:
    held = min(max(zone.held, 0), zone.capacity)
    sold = min(max(zone.sold, 0), zone.capacity - held)
    return ZoneAvailability(
        id=zone.zone_id,
        capacity=zone.capacity,
        available=zone.capacity - held - sold,
        held=held,
        sold=sold,
    )


def availability(
    event_id: str,
    seats: Sequence[SeatInventory],
    zones: Sequence[ZoneCounts],
    *,
    locked_seats: Set[str],
    live_zones: Mapping[str, ZoneCounts],
    sales_channel_id: str | None,
) -> Availability:
    """Merge inventory with the live lock state; live zone counters win where they exist."""
    seat_views = tuple(
        SeatAvailability(
            seat.seat_id,
            seat_status(seat, seat.seat_id in locked_seats, sales_channel_id),
            seat.price_category,
        )
        for seat in seats
    )
    zone_views = tuple(zone_availability(live_zones.get(zone.zone_id, zone)) for zone in zones)
    tally = {"available": 0, "held": 0, "sold": 0, "blocked": 0}
    for view in seat_views:
        tally[view.status] += 1
    for zone_view in zone_views:
        tally["available"] += zone_view.available
        tally["held"] += zone_view.held
        tally["sold"] += zone_view.sold
    return Availability(
        event_id=event_id, seats=seat_views, zones=zone_views, counts=Counts(**tally)
    )
