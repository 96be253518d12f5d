"""The availability snapshot of an event: every seat's status and every GA zone's counts.

A snapshot is a consistent cut of the event's availability stream
(docs/decisions/0008-consistent-availability-snapshot.md): ``sold`` and ``blocked`` are
the event's configuration as inventory holds it, ``held`` and the zone counters are the
lock store's state as of the stream event ``stream_id``, read in one atomic step. So
``replay`` of every later event onto it gives what a later snapshot shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence, Set

import msgspec

from lml_seating.domain.events import (
    SEATS_HELD,
    SEATS_RELEASED,
    SEATS_SOLD,
    ZONE_UPDATED,
    PublishedEvent,
    SeatsHeld,
    SeatsReleased,
    SeatsSold,
    ZoneUpdated,
)
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
    stream_id: str
    seats: tuple[SeatAvailability, ...]
    zones: tuple[ZoneAvailability, ...]
    counts: Counts


def seat_status(seat: SeatInventory, locked: bool, sales_channel_id: str | None) -> SeatStatus:
    """Sold and blocked are inventory's (the event's configuration); so is a seat reserved
    for another sales channel than the one asked about (any channel, when none is), which is
    blocked for it. Of the others, a seat the lock store has locked is held.

    Inventory's own ``held`` is not used: the lock store's locks are what the availability
    stream describes, so they alone say held (a seat inventory still marks held after the
    lock store lost its state reads available, as the stream would have it).
    """
    if seat.status in ("sold", "blocked"):
        return seat.status
    if not may_hold_through(seat.sales_channel_id, sales_channel_id):
        return "blocked"
    return "held" if locked else "available"


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
    stream_id: str,
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
    return Availability(
        event_id=event_id,
        stream_id=stream_id,
        seats=seat_views,
        zones=zone_views,
        counts=_tally(seat_views, zone_views),
    )


def _tally(seats: Iterable[SeatAvailability], zones: Iterable[ZoneAvailability]) -> Counts:
    tally = {"available": 0, "held": 0, "sold": 0, "blocked": 0}
    for view in seats:
        tally[view.status] += 1
    for zone_view in zones:
        tally["available"] += zone_view.available
        tally["held"] += zone_view.held
        tally["sold"] += zone_view.sold
    return Counts(**tally)


def snapshot_tag(
    *,
    stream_id: str,
    configuration_version: int,
    sales_channel_id: str | None,
    zones: Iterable[ZoneCounts],
) -> str:
    """The strong entity tag of a snapshot (without quotes), from what shapes it and never
    from its body: the stream id (the live state), the version of the event's configuration
    in inventory (seats sold, blocked or reserved, price categories, zones), the channel
    asked about, and the zone counters it shows (the lock store's, or inventory's standing in
    for those it has none for). Equal inputs give equal snapshots, on every API process.
    """
    parts = [stream_id, str(configuration_version), "" if sales_channel_id is None else "c"]
    parts.append(sales_channel_id or "")
    for zone in sorted(zones, key=lambda zone: zone.zone_id):
        parts.append(f"{zone.zone_id}={zone.capacity},{zone.held},{zone.sold}")
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
    return f"{configuration_version}.{digest}"


_held = msgspec.json.Decoder(SeatsHeld)
_released = msgspec.json.Decoder(SeatsReleased)
_sold = msgspec.json.Decoder(SeatsSold)
_zone_updated = msgspec.json.Decoder(ZoneUpdated)


def replay(snapshot: Availability, events: Iterable[PublishedEvent]) -> Availability:
    """The snapshot with these stream events (those after its ``stream_id``, in order)
    applied, as a watcher applies them: ``seat.held`` makes its seats held and
    ``seat.released`` makes its seats available, unless they are sold or blocked (the
    configuration, which only a new snapshot changes); ``seat.sold`` makes its seats sold;
    ``zone.updated`` sets a zone's counters. An event of another kind changes nothing but
    the stream id.
    """
    seats = {seat.id: seat for seat in snapshot.seats}
    zones = {zone.id: zone for zone in snapshot.zones}
    stream_id = snapshot.stream_id
    for event in events:
        stream_id = event.id
        if event.type == SEATS_HELD:
            _set_seats(seats, _held.decode(event.data).seat_ids, "held")
        elif event.type == SEATS_RELEASED:
            _set_seats(seats, _released.decode(event.data).seat_ids, "available")
        elif event.type == SEATS_SOLD:
            _set_seats(seats, _sold.decode(event.data).seat_ids, "sold")
        elif event.type == ZONE_UPDATED:
            update = _zone_updated.decode(event.data)
            zone = zones.get(update.zone_id)
            if zone is not None:
                zones[zone.id] = zone_availability(
                    ZoneCounts(
                        zone_id=zone.id, capacity=zone.capacity, held=update.held, sold=update.sold
                    )
                )
    seat_views = tuple(seats[seat.id] for seat in snapshot.seats)
    zone_views = tuple(zones[zone.id] for zone in snapshot.zones)
    return Availability(
        event_id=snapshot.event_id,
        stream_id=stream_id,
        seats=seat_views,
        zones=zone_views,
        counts=_tally(seat_views, zone_views),
    )


def _set_seats(
    seats: dict[str, SeatAvailability], seat_ids: Iterable[str], status: SeatStatus
) -> None:
    for seat_id in seat_ids:
        seat = seats.get(seat_id)
        if seat is not None and seat.status in ("available", "held"):
            seats[seat_id] = SeatAvailability(seat.id, status, seat.price_category)
