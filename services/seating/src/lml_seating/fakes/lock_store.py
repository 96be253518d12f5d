"""The lock store in memory: seat locks, GA counters and the expiry queue, behaving like
the Redis scripts step for step. One object serves the three lock ports, as one Redis does."""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lml_seating.application.ports import (
    Acquired,
    Clock,
    Expired,
    Extended,
    LiveCut,
    LockConflict,
    LockRefused,
    LockTerms,
    NotDue,
    Released,
    Settled,
    Sold,
    ZonesNotLoaded,
)
from lml_seating.domain import (
    SEATS_HELD,
    SEATS_RELEASED,
    SEATS_SOLD,
    ZONE_UPDATED,
    HoldScope,
    OrderEndReason,
    ReleaseReason,
    SeatsHeld,
    SeatsReleased,
    SeatsSold,
    ZoneCounts,
    ZoneUpdated,
    rfc3339,
)
from lml_seating.fakes.availability_events import InMemoryAvailabilityEvents


@dataclass
class _Hold:
    lock: HoldScope
    token_digest: bytes
    expires_at: datetime
    max_expires_at: datetime
    state: str = "active"


@dataclass
class _Zone:
    capacity: int
    held: int
    sold: int


def _milliseconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


FOREVER = datetime.max.replace(tzinfo=UTC)


class InMemoryLockStore:
    def __init__(self, clock: Clock, events: InMemoryAvailabilityEvents) -> None:
        self._clock = clock
        self._events = events
        self._seats: dict[tuple[str, str], tuple[str, datetime]] = {}
        self._zones: dict[tuple[str, str], _Zone] = {}
        self._holds: dict[tuple[str, str], _Hold] = {}
        self._due: dict[tuple[str, str], datetime] = {}

    def forget_everything(self) -> None:
        """What a Redis FLUSHALL does to the real store."""
        self._seats.clear()
        self._zones.clear()
        self._holds.clear()
        self._due.clear()

    async def acquire(
        self, lock: HoldScope, token_digest: bytes, terms: LockTerms
    ) -> Acquired | LockConflict | ZonesNotLoaded:
        now = self._now()
        missing = tuple(
            item.zone_id for item in lock.ga if (lock.event_id, item.zone_id) not in self._zones
        )
        if missing:
            return ZonesNotLoaded(missing)
        seats = tuple(seat for seat in lock.seat_ids if self._holder(lock.event_id, seat, now))
        zones = tuple(
            item.zone_id
            for item in lock.ga
            if self._room(self._zones[lock.event_id, item.zone_id]) < item.quantity
        )
        if seats or zones:
            return LockConflict(seats, zones)
        expires_at = now + timedelta(seconds=terms.ttl_seconds)
        max_expires_at = now + timedelta(seconds=terms.max_lifetime_seconds)
        for seat in lock.seat_ids:
            self._seats[lock.event_id, seat] = (lock.id, expires_at)
        for item in lock.ga:
            self._zones[lock.event_id, item.zone_id].held += item.quantity
        key = (lock.event_id, lock.id)
        self._holds[key] = _Hold(lock, token_digest, expires_at, max_expires_at)
        self._due[key] = expires_at
        self._publish_held(lock, expires_at)
        self._publish_zones(lock)
        return Acquired(created_at=now, expires_at=expires_at, max_expires_at=max_expires_at)

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        for zone in zones:
            self._zones.setdefault(
                (event_id, zone.zone_id), _Zone(zone.capacity, zone.held, zone.sold)
            )

    async def extend(
        self, lock: HoldScope, token_digest: bytes, ttl_seconds: float
    ) -> Extended | LockRefused:
        now = self._now()
        hold = self._holds.get((lock.event_id, lock.id))
        refused = self._check(hold, token_digest, now)
        if refused is not None:
            return refused
        assert hold is not None
        expires_at = now + timedelta(seconds=ttl_seconds)
        if expires_at > hold.max_expires_at:
            return LockRefused("limit", hold.max_expires_at)
        hold.expires_at = expires_at
        for seat in lock.seat_ids:
            owner = self._holder(lock.event_id, seat, now)
            if owner in (None, lock.id):
                self._seats[lock.event_id, seat] = (lock.id, expires_at)
        self._due[lock.event_id, lock.id] = expires_at
        self._publish_held(lock, expires_at)
        return Extended(expires_at)

    async def release(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        return self._end_if_owner(lock, token_digest, "released")

    async def rollback(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        return self._end_if_owner(lock, token_digest, "rolled_back")

    def _end_if_owner(
        self, lock: HoldScope, token_digest: bytes, reason: ReleaseReason
    ) -> Released | LockRefused:
        """A rollback undoes an acquire whether or not the hold expired since; a release
        needs it running."""
        now = self._now()
        hold = self._holds.get((lock.event_id, lock.id))
        refused = self._check(hold, token_digest, None if reason == "rolled_back" else now)
        if refused is not None:
            return refused
        self._end(lock, reason, now)
        return Released()

    async def settle(self, lock: HoldScope, token_digest: bytes) -> Settled | LockRefused:
        """As ``convert_if_owner.lua``: the converted hold's locks stop lapsing."""
        now = self._now()
        hold = self._holds.get((lock.event_id, lock.id))
        if hold is None:
            return LockRefused("unknown")
        if not hmac.compare_digest(token_digest, hold.token_digest):
            return LockRefused("token")
        if hold.state == "converted":
            return Settled()
        if hold.state != "active":
            return LockRefused("ended")
        self._due.pop((lock.event_id, lock.id), None)
        for seat in lock.seat_ids:
            if self._holder(lock.event_id, seat, now) in (None, lock.id):
                self._seats[lock.event_id, seat] = (lock.id, FOREVER)
        hold.state = "converted"
        return Settled()

    async def cancel(
        self, lock: HoldScope, reason: OrderEndReason = "order_canceled"
    ) -> Released | LockRefused:
        """As ``release_canceled_order.lua``."""
        hold = self._holds.get((lock.event_id, lock.id))
        if hold is None:
            return LockRefused("unknown")
        if hold.state != "converted":
            return LockRefused("ended")
        self._end(lock, reason, self._now())
        return Released()

    async def sell(self, lock: HoldScope, order_id: str) -> Sold:
        """As ``sell_converted.lua``."""
        key = (lock.event_id, lock.id)
        hold = self._holds.get(key)
        if hold is not None and hold.state == "sold":
            return Sold()
        still_held = hold is not None and hold.state in ("converted", "active")
        now = self._now()
        self._due.pop(key, None)
        for seat in lock.seat_ids:
            self._seats[lock.event_id, seat] = (lock.id, FOREVER)
        for item in lock.ga:
            zone = self._zones.get((lock.event_id, item.zone_id))
            if zone is not None:
                if still_held:
                    zone.held = max(zone.held - item.quantity, 0)
                zone.sold += item.quantity
        if hold is not None:
            hold.state = "sold"
        else:
            self._holds[key] = _Hold(lock, b"", now, now, state="sold")
        self._events.append(
            lock.event_id,
            SEATS_SOLD,
            SeatsSold(
                event_id=lock.event_id,
                order_id=order_id,
                seat_ids=lock.seat_ids,
                ga=lock.ga,
                sales_channel_id=lock.sales_channel_id,
            ),
        )
        self._publish_zones(lock)
        return Sold()

    async def expire(self, lock: HoldScope) -> Expired | NotDue | LockRefused:
        now = self._now()
        key = (lock.event_id, lock.id)
        hold = self._holds.get(key)
        if hold is not None and hold.state != "active":
            return LockRefused("ended")
        due_at = self._due.get(key, hold.expires_at if hold else None)
        if due_at is not None and due_at > now:
            return NotDue()
        self._end(lock, "expired", now)
        return Expired()

    async def due(self, limit: int) -> Sequence[HoldScope]:
        now = self._now()
        ordered = sorted(
            (expires_at, key) for key, expires_at in self._due.items() if expires_at <= now
        )
        return [self._holds[key].lock for _, key in ordered[:limit] if key in self._holds]

    async def holders(self, event_id: str, seat_ids: Sequence[str]) -> Mapping[str, str]:
        now = self._now()
        return {
            seat: owner
            for seat in seat_ids
            if (owner := self._holder(event_id, seat, now)) is not None
        }

    async def zones(self, event_id: str, zone_ids: Sequence[str]) -> Mapping[str, ZoneCounts]:
        return {
            zone_id: ZoneCounts(
                zone_id=zone_id, capacity=zone.capacity, held=zone.held, sold=zone.sold
            )
            for zone_id in zone_ids
            if (zone := self._zones.get((event_id, zone_id))) is not None
        }

    async def cut(self, event_id: str, seat_ids: Sequence[str], zone_ids: Sequence[str]) -> LiveCut:
        # A lock stays here until its hold ends or another hold takes the seat, lapsed or
        # not: what the stream says is held, as the Redis script reads it.
        return LiveCut(
            stream_id=self._events.last_id(event_id),
            holders={
                seat: entry[0]
                for seat in seat_ids
                if (entry := self._seats.get((event_id, seat))) is not None
            },
            zones=await self.zones(event_id, zone_ids),
        )

    def _now(self) -> datetime:
        return _milliseconds(self._clock.now())

    def _holder(self, event_id: str, seat: str, now: datetime) -> str | None:
        entry = self._seats.get((event_id, seat))
        if entry is None or entry[1] <= now:
            return None
        return entry[0]

    @staticmethod
    def _room(zone: _Zone) -> int:
        return zone.capacity - zone.held - zone.sold

    @staticmethod
    def _check(hold: _Hold | None, token_digest: bytes, now: datetime | None) -> LockRefused | None:
        """The owner checks of the scripts; ``now`` None skips the expiry check."""
        if hold is None:
            return LockRefused("unknown")
        if hold.state != "active":
            return LockRefused("ended")
        if not hmac.compare_digest(token_digest, hold.token_digest):
            return LockRefused("token")
        if now is not None and hold.expires_at <= now:
            return LockRefused("expired")
        return None

    def _end(self, lock: HoldScope, reason: ReleaseReason, now: datetime) -> None:
        key = (lock.event_id, lock.id)
        self._due.pop(key, None)
        # The seats it frees: its own locks, and any no other hold has taken since.
        freed = []
        for seat in lock.seat_ids:
            owner = self._seats.get((lock.event_id, seat), (None,))[0]
            if owner == lock.id:
                del self._seats[lock.event_id, seat]
            if owner in (lock.id, None):
                freed.append(seat)
        for item in lock.ga:
            zone = self._zones.get((lock.event_id, item.zone_id))
            if zone is not None:
                zone.held = max(zone.held - item.quantity, 0)
        hold = self._holds.get(key)
        if hold is not None:
            hold.state = reason
        else:
            self._holds[key] = _Hold(lock, b"", now, now, state=reason)
        self._events.append(
            lock.event_id,
            SEATS_RELEASED,
            SeatsReleased(**{**_described(lock), "seat_ids": tuple(freed)}, reason=reason),
        )
        self._publish_zones(lock)

    def _publish_zones(self, lock: HoldScope) -> None:
        """zone.updated with each of the hold's zones' counters as they now are."""
        for item in lock.ga:
            zone = self._zones.get((lock.event_id, item.zone_id))
            if zone is not None:
                self._events.append(
                    lock.event_id,
                    ZONE_UPDATED,
                    ZoneUpdated(
                        event_id=lock.event_id,
                        zone_id=item.zone_id,
                        available=max(self._room(zone), 0),
                        held=zone.held,
                        sold=zone.sold,
                    ),
                )

    def _publish_held(self, lock: HoldScope, expires_at: datetime) -> None:
        self._events.append(
            lock.event_id,
            SEATS_HELD,
            SeatsHeld(**_described(lock), expires_at=rfc3339(expires_at)),
        )


def _described(lock: HoldScope) -> dict[str, Any]:
    """The fields every hold event shares (``SeatsChanged``), as the scripts write them."""
    return {
        "event_id": lock.event_id,
        "hold_id": lock.id,
        "seat_ids": lock.seat_ids,
        "ga": lock.ga,
        "sales_channel_id": lock.sales_channel_id,
    }
