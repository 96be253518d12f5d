"""What the seating use cases need from the outside world, as Protocols.

Redis (``infrastructure``) and memory (``fakes``) implement the lock store's three ports
(``HoldLocks`` for the hold path, ``ExpiryQueue`` for the sweeper, ``LiveLocks`` for
availability reads) and ``AvailabilityEvents``; PostgreSQL and memory implement
``Inventory`` and ``HoldRules``; ``CachedConfigurations`` keeps inventory's
configurations in memory for revalidations.
The contract suites in ``tests/contract`` hold both to the same behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal, Protocol

import msgspec

from lml_result import Result
from lml_seating.domain import (
    ConvertedHold,
    EventRules,
    Hold,
    HoldScope,
    HoldStatus,
    OrderEndReason,
    PublishedEvent,
    SeatInventory,
    StreamPosition,
    ZoneCounts,
)


class LockTerms(msgspec.Struct, frozen=True, kw_only=True):
    """How long a new hold's locks last, and how long it may be extended to live at most."""

    ttl_seconds: float
    max_lifetime_seconds: float


class Acquired(msgspec.Struct, frozen=True, kw_only=True):
    """Every seat and place was free and is now the hold's; times are the lock store's."""

    created_at: datetime
    expires_at: datetime
    max_expires_at: datetime


class LockConflict(msgspec.Struct, frozen=True):
    """Every seat and zone that stood in the way; nothing was taken."""

    seat_ids: tuple[str, ...]
    zone_ids: tuple[str, ...]


class ZonesNotLoaded(msgspec.Struct, frozen=True):
    """The lock store has no counters for these zones yet: load them and try again."""

    zone_ids: tuple[str, ...]


class Extended(msgspec.Struct, frozen=True):
    expires_at: datetime


class Released(msgspec.Struct, frozen=True):
    pass


class Expired(msgspec.Struct, frozen=True):
    pass


class NotDue(msgspec.Struct, frozen=True):
    pass


LockProblem = Literal["unknown", "token", "ended", "expired", "limit"]


class LockRefused(msgspec.Struct, frozen=True):
    """Nothing changed. ``unknown``: the store knows no such hold (it may have lost it);
    ``token``: wrong token; ``ended``: released, rolled back or expired and swept;
    ``expired``: its time ran out; ``limit``: past ``max_expires_at``."""

    reason: LockProblem
    max_expires_at: datetime | None = None


class HoldLocks(Protocol):
    """The fast gate of the hold path: seat locks and GA counters, changed all at once.

    Every change publishes its availability event in the same atomic step, so the
    event stream and the lock state can never disagree. The hold token is the fencing
    token: every change needs its digest (``tokens.token_digest``), the same one
    inventory stores, so the raw token never reaches a store.
    """

    async def acquire(
        self, lock: HoldScope, token_digest: bytes, terms: LockTerms
    ) -> Acquired | LockConflict | ZonesNotLoaded: ...

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        """Set counters for zones that have none; counters that exist are left alone."""
        ...

    async def extend(
        self, lock: HoldScope, token_digest: bytes, ttl_seconds: float
    ) -> Extended | LockRefused: ...

    async def release(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused: ...

    async def rollback(self, lock: HoldScope, token_digest: bytes) -> Released | LockRefused:
        """Undo an acquire whose hold could not be recorded, expired or not."""
        ...


ConversionProblem = Literal["unknown", "token", "converted_already", "ended"]


class ConversionRefused(msgspec.Struct, frozen=True):
    """Nothing changed. ``unknown``: no such hold in the organisation; ``token``: wrong
    token; ``converted_already``: it is already an order's; ``ended``: released, expired
    (swept or not), or its seats are no longer its own."""

    reason: ConversionProblem


class Settled(msgspec.Struct, frozen=True):
    pass


class Sold(msgspec.Struct, frozen=True):
    pass


class HoldConversions(Protocol):
    """Inventory's side of an order, in the caller's transaction (a tenant unit of work)."""

    async def convert(
        self, org_id: str, hold_id: str, token_digest: bytes, at: datetime
    ) -> ConvertedHold | ConversionRefused:
        """The active hold, unexpired at ``at``, keeps its places for good: its status is
        ``converted``, its seats stay held and no longer expire."""
        ...

    async def release(self, org_id: str, hold_id: str, at: datetime) -> HoldScope | None:
        """A converted hold's places are free again (its order was canceled); None when
        the hold is not converted."""
        ...

    async def sell(self, org_id: str, hold_id: str) -> HoldScope | None:
        """A converted hold's places are sold for good (its order was paid); None when the
        hold is not converted (sold already, or freed)."""
        ...


class OrderLocks(Protocol):
    """The order path's view of the lock store: a converted hold's locks stop lapsing."""

    async def settle(self, lock: HoldScope, token_digest: bytes) -> Settled | LockRefused:
        """Make the hold's seat locks persistent, take it off the expiry queue, mark it
        converted. Idempotent. ``ended`` when the sweeper ended it first."""
        ...

    async def cancel(
        self, lock: HoldScope, reason: OrderEndReason = "order_canceled"
    ) -> Released | LockRefused:
        """Free a converted hold's locks and places (its order was canceled or expired),
        publishing ``seat.released`` with ``reason`` (``order_canceled``,
        ``order_expired``); ``ended`` when it is not converted."""
        ...

    async def sell(self, lock: HoldScope, order_id: str) -> Sold:
        """After inventory sold the hold: its locks stay for good, its GA places count as
        sold, and ``seat.sold`` names ``order_id``. Idempotent."""
        ...


class ExpiryQueue(Protocol):
    """The sweeper's view of the lock store: holds whose time ran out, and ending them."""

    async def due(self, limit: int) -> Sequence[HoldScope]:
        """Holds whose time ran out and that nobody has ended yet, oldest first per event."""
        ...

    async def expire(self, lock: HoldScope) -> Expired | NotDue | LockRefused:
        """End a hold whose time ran out; of any number of callers, exactly one gets Expired.

        Needs no token: the lock store's clock is the authority on expiry.
        """
        ...


class LiveCut(msgspec.Struct, frozen=True, kw_only=True):
    """The lock store's state as of one stream event, read in one atomic step.

    ``stream_id`` is the id of the last event of the event's availability stream
    (``ORIGIN``, 0-0, when it has none); ``holders`` the hold locking each seat asked about
    that the stream says is held, a lock that lapsed before the sweeper published its
    expiry included; ``zones`` the counters of the zones asked about that have some.
    """

    stream_id: str
    holders: Mapping[str, str]
    zones: Mapping[str, ZoneCounts]


class LiveLocks(Protocol):
    """What the lock store holds right now, for availability reads."""

    async def cut(self, event_id: str, seat_ids: Sequence[str], zone_ids: Sequence[str]) -> LiveCut:
        """Seat locks, zone counters and the stream's last id, all at one moment."""
        ...

    async def holders(self, event_id: str, seat_ids: Sequence[str]) -> Mapping[str, str]:
        """The hold id locking each of these seats, for the seats that are locked."""
        ...

    async def zones(self, event_id: str, zone_ids: Sequence[str]) -> Mapping[str, ZoneCounts]:
        """The live counters of these zones, for the zones that have them."""
        ...


class AvailabilityEvents(Protocol):
    """The availability stream of each event, in publication order."""

    async def since(
        self, event_id: str, after: str | None = None, *, limit: int = 100
    ) -> Sequence[PublishedEvent]: ...

    async def follow(
        self, event_id: str, after: str, *, wait_seconds: float, limit: int
    ) -> Sequence[PublishedEvent]:
        """The events after ``after``, waiting up to ``wait_seconds`` for the first when
        there is none yet (then none)."""
        ...

    async def position(self, event_id: str) -> StreamPosition: ...

    async def has(self, event_id: str, stream_id: str) -> bool:
        """Whether the stream holds (still) the event with this id."""
        ...


class HoldRules(Protocol):
    async def rules(self, org_id: str, event_id: str) -> EventRules | None: ...


class StoredHold(msgspec.Struct, frozen=True):
    hold: Hold
    token_hash: bytes


class InventoryRefusal(msgspec.Struct, frozen=True, kw_only=True):
    """Why inventory would not take a hold: unknown seats, or seats and zones unavailable."""

    unknown_seat_ids: tuple[str, ...] = ()
    seat_ids: tuple[str, ...] = ()
    zone_ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.unknown_seat_ids or self.seat_ids or self.zone_ids)


class OverdueHold(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    event_id: str
    hold_id: str


class InventoryConfiguration(msgspec.Struct, frozen=True, kw_only=True):
    """What inventory says of an event, read by primary key: ``version`` goes up with
    every change of what shapes its availability besides holds (a seat sold, blocked or
    reserved for a channel, a price category, a zone's capacity); ``zones`` as stored."""

    version: int
    zones: tuple[ZoneCounts, ...]
    sales_channels: frozenset[str]


class InventorySnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """Every seat and zone, as of configuration ``version``."""

    seats: tuple[SeatInventory, ...]
    zones: tuple[ZoneCounts, ...]
    sales_channels: frozenset[str]
    version: int = 0


class InventoryConfigurations(Protocol):
    """What a revalidation reads of inventory: an event's configuration, and the counters
    of zones the lock store has none for. An API process may keep configurations in memory
    (``CachedConfigurations``): their zone counters can then be older than their version,
    as holds change counters without a new version; ``zone_counts`` is always current."""

    async def zone_counts(
        self, org_id: str, event_id: str, zone_ids: Sequence[str]
    ) -> Sequence[ZoneCounts]: ...

    async def configuration(self, org_id: str, event_id: str) -> InventoryConfiguration | None:
        """The event's configuration version, zones and channels: one cheap read."""
        ...


class Inventory(InventoryConfigurations, Protocol):
    """The source of truth: seat rows, zone counters and hold records, per tenant."""

    async def take(self, hold: Hold, token_hash: bytes) -> Result[None, InventoryRefusal]:
        """Record the hold and take all its seats and places, or nothing.

        A seat can be taken when it is available, or held by a hold that expired by
        ``hold.created_at``, and when its sales channel allows the hold's.
        """
        ...

    async def refusal(self, lock: HoldScope) -> InventoryRefusal:
        """What would stop these seats and places being taken now (empty when nothing would)."""
        ...

    async def find(self, org_id: str, hold_id: str) -> StoredHold | None: ...

    async def extend(
        self, org_id: str, hold_id: str, token_hash: bytes, expires_at: datetime
    ) -> bool:
        """Move an active hold's expiry (on its seats too) if ``token_hash`` is its token's;
        False when it is not active or the token is not its own."""
        ...

    async def end(self, org_id: str, hold_id: str, status: HoldStatus, at: datetime) -> bool:
        """End an active hold and free what it still holds; False when it was not active."""
        ...

    async def release(
        self, org_id: str, hold_id: str, token_hash: bytes, at: datetime
    ) -> Hold | None:
        """Release the hold if it is active, has not expired by ``at`` and ``token_hash`` is
        its token's; free what it still holds and return it as it was. Else None."""
        ...

    async def snapshot(
        self, org_id: str, event_id: str, now: datetime
    ) -> InventorySnapshot | None: ...

    async def overdue(self, grace_seconds: float, limit: int) -> Sequence[OverdueHold]:
        """Active holds of every organisation that expired more than ``grace_seconds`` ago,
        oldest first: the sweeper's safety net for holds the lock store lost."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class HoldIdentities(Protocol):
    """New hold ids and tokens; a port so tests can make them predictable."""

    def new_hold_id(self) -> str: ...

    def new_token(self) -> str:
        """At least 32 random bytes, URL-safe text: the fencing token."""
        ...
