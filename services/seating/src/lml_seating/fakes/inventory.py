"""Inventory and hold rules in memory, each row visible only to its own organisation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.application.ports import (
    Clock,
    InventoryConfiguration,
    InventoryRefusal,
    InventorySnapshot,
    OverdueHold,
    StoredHold,
)
from lml_seating.domain import (
    EventRules,
    Hold,
    HoldScope,
    HoldStatus,
    SeatInventory,
    SeatStatus,
    ZoneCounts,
    seat_can_be_taken,
    seat_status_at,
)


@dataclass
class _Seat:
    status: SeatStatus
    price_category: str
    sales_channel_id: str | None
    version: int = 0
    hold_id: str | None = None
    hold_expires_at: datetime | None = None


@dataclass
class _Zone:
    capacity: int
    held: int = 0
    sold: int = 0


@dataclass
class _Event:
    org_id: str
    max_seats_per_hold: int
    sales_channels: frozenset[str]
    seats: dict[str, _Seat] = field(default_factory=dict)
    zones: dict[str, _Zone] = field(default_factory=dict)
    # Up with every change of configuration (what migrations/0009's triggers count).
    version: int = 0


class InMemoryInventory:
    """Also the ``HoldRules`` of its events, as the PostgreSQL adapters are."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._events: dict[str, _Event] = {}
        self._holds: dict[str, StoredHold] = {}
        self.fail_next_take: Exception | None = None

    def add_event(
        self,
        org_id: str,
        event_id: str,
        *,
        seats: Iterable[str] = (),
        zones: Mapping[str, int] | None = None,
        max_seats_per_hold: int = 10,
        sales_channels: Iterable[str] = (),
        seat_channels: Mapping[str, str] | None = None,
        statuses: Mapping[str, SeatStatus] | None = None,
    ) -> None:
        channels, states = seat_channels or {}, statuses or {}
        self._events[event_id] = _Event(
            org_id=org_id,
            max_seats_per_hold=max_seats_per_hold,
            sales_channels=frozenset(sales_channels),
            seats={
                seat: _Seat(states.get(seat, "available"), "standard", channels.get(seat))
                for seat in seats
            },
            zones={zone: _Zone(capacity) for zone, capacity in (zones or {}).items()},
        )

    def configure_seat(
        self,
        event_id: str,
        seat_id: str,
        *,
        status: SeatStatus | None = None,
        price_category: str | None = None,
        sales_channel_id: str | None = None,
    ) -> None:
        """Change a seat's configuration (sold, blocked, its category or channel), as an
        order or an organiser would, and count it in the event's configuration version."""
        event = self._events[event_id]
        seat = event.seats[seat_id]
        if status is not None:
            seat.status = status
        if price_category is not None:
            seat.price_category = price_category
        if sales_channel_id is not None:
            seat.sales_channel_id = sales_channel_id or None
        event.version += 1

    async def rules(self, org_id: str, event_id: str) -> EventRules | None:
        event = self._event(org_id, event_id)
        if event is None:
            return None
        return EventRules(
            event_id=event_id,
            max_seats_per_hold=event.max_seats_per_hold,
            sales_channels=event.sales_channels,
            zone_capacities={zone_id: zone.capacity for zone_id, zone in event.zones.items()},
        )

    async def take(self, hold: Hold, token_hash: bytes) -> Result[None, InventoryRefusal]:
        if self.fail_next_take is not None:
            failure, self.fail_next_take = self.fail_next_take, None
            raise failure
        event = self._event(hold.org_id, hold.event_id)
        if event is None:
            return Err(InventoryRefusal(unknown_seat_ids=hold.seat_ids))
        refusal = self._refusal(event, hold, hold.created_at)
        if refusal:
            return Err(refusal)
        for seat_id in hold.seat_ids:
            seat = event.seats[seat_id]
            seat.status, seat.hold_id, seat.hold_expires_at = "held", hold.id, hold.expires_at
            seat.version += 1
        for item in hold.ga:
            event.zones[item.zone_id].held += item.quantity
        self._holds[hold.id] = StoredHold(hold, token_hash)
        return Ok(None)

    async def refusal(self, lock: HoldScope) -> InventoryRefusal:
        event = self._event(lock.org_id, lock.event_id)
        if event is None:
            return InventoryRefusal(unknown_seat_ids=lock.seat_ids)
        return self._refusal(event, lock, self._clock.now())

    async def zone_counts(
        self, org_id: str, event_id: str, zone_ids: Sequence[str]
    ) -> Sequence[ZoneCounts]:
        event = self._event(org_id, event_id)
        if event is None:
            return []
        return [
            ZoneCounts(zone_id=zone_id, capacity=zone.capacity, held=zone.held, sold=zone.sold)
            for zone_id in sorted(zone_ids)
            if (zone := event.zones.get(zone_id)) is not None
        ]

    async def find(self, org_id: str, hold_id: str) -> StoredHold | None:
        stored = self._holds.get(hold_id)
        if stored is None or stored.hold.org_id != org_id:
            return None
        return stored

    async def extend(
        self, org_id: str, hold_id: str, token_hash: bytes, expires_at: datetime
    ) -> bool:
        stored = await self.find(org_id, hold_id)
        if (
            stored is None
            or stored.hold.status is not HoldStatus.ACTIVE
            or stored.token_hash != token_hash
        ):
            return False
        event = self._events[stored.hold.event_id]
        for seat in event.seats.values():
            if seat.hold_id == hold_id:
                seat.hold_expires_at = expires_at
                seat.version += 1
        hold = msgspec.structs.replace(stored.hold, expires_at=expires_at)
        self._holds[hold_id] = StoredHold(hold, stored.token_hash)
        return True

    async def end(self, org_id: str, hold_id: str, status: HoldStatus, at: datetime) -> bool:
        stored = await self.find(org_id, hold_id)
        if stored is None or stored.hold.status is not HoldStatus.ACTIVE:
            return False
        event = self._events[stored.hold.event_id]
        for seat in event.seats.values():
            if seat.hold_id == hold_id:
                seat.status, seat.hold_id, seat.hold_expires_at = "available", None, None
                seat.version += 1
        for item in stored.hold.ga:
            zone = event.zones[item.zone_id]
            zone.held = max(zone.held - item.quantity, 0)
        hold = msgspec.structs.replace(stored.hold, status=status)
        self._holds[hold_id] = StoredHold(hold, stored.token_hash)
        return True

    async def release(
        self, org_id: str, hold_id: str, token_hash: bytes, at: datetime
    ) -> Hold | None:
        stored = await self.find(org_id, hold_id)
        if stored is None or stored.token_hash != token_hash or stored.hold.expires_at <= at:
            return None
        if not await self.end(org_id, hold_id, HoldStatus.RELEASED, at):
            return None
        return stored.hold

    async def snapshot(self, org_id: str, event_id: str, now: datetime) -> InventorySnapshot | None:
        event = self._event(org_id, event_id)
        if event is None:
            return None
        return InventorySnapshot(
            seats=tuple(
                SeatInventory(
                    seat_id=seat_id,
                    status=seat_status_at(seat.status, seat.hold_expires_at, now),
                    price_category=seat.price_category,
                    sales_channel_id=seat.sales_channel_id,
                )
                for seat_id, seat in sorted(event.seats.items())
            ),
            zones=tuple(
                ZoneCounts(zone_id=zone_id, capacity=zone.capacity, held=zone.held, sold=zone.sold)
                for zone_id, zone in sorted(event.zones.items())
            ),
            sales_channels=event.sales_channels,
            version=event.version,
        )

    async def configuration(self, org_id: str, event_id: str) -> InventoryConfiguration | None:
        event = self._event(org_id, event_id)
        if event is None:
            return None
        return InventoryConfiguration(
            version=event.version,
            zones=tuple(
                ZoneCounts(zone_id=zone_id, capacity=zone.capacity, held=zone.held, sold=zone.sold)
                for zone_id, zone in sorted(event.zones.items())
            ),
            sales_channels=event.sales_channels,
        )

    async def overdue(self, grace_seconds: float, limit: int) -> Sequence[OverdueHold]:
        cutoff = self._clock.now() - timedelta(seconds=grace_seconds)
        due = sorted(
            (stored.hold for stored in self._holds.values()),
            key=lambda hold: hold.expires_at,
        )
        return [
            OverdueHold(org_id=hold.org_id, event_id=hold.event_id, hold_id=hold.id)
            for hold in due
            if hold.status is HoldStatus.ACTIVE and hold.expires_at <= cutoff
        ][:limit]

    def _event(self, org_id: str, event_id: str) -> _Event | None:
        event = self._events.get(event_id)
        return event if event is not None and event.org_id == org_id else None

    @staticmethod
    def _refusal(event: _Event, lock: HoldScope, now: datetime) -> InventoryRefusal:
        unknown = tuple(seat for seat in lock.seat_ids if seat not in event.seats)
        if unknown:
            return InventoryRefusal(unknown_seat_ids=unknown)
        seats = tuple(
            seat_id
            for seat_id in lock.seat_ids
            if not _takeable(event.seats[seat_id], lock.sales_channel_id, now)
        )
        zones = tuple(
            item.zone_id
            for item in lock.ga
            if (zone := event.zones[item.zone_id]).capacity - zone.held - zone.sold < item.quantity
        )
        return InventoryRefusal(seat_ids=seats, zone_ids=zones)


def _takeable(seat: _Seat, channel: str | None, now: datetime) -> bool:
    return seat_can_be_taken(seat.status, seat.hold_expires_at, seat.sales_channel_id, channel, now)
