"""Application layer of the seating context: the use cases and the ports they need."""

from lml_seating.application.event_availability import event_availability
from lml_seating.application.expire_holds import expire_due_holds
from lml_seating.application.extend_hold import ExtendHold, ExtendHoldError, extend_hold
from lml_seating.application.get_hold import get_hold
from lml_seating.application.hold_seats import HoldSeats, HoldSeatsError, hold_seats
from lml_seating.application.ports import (
    Acquired,
    AvailabilityEvents,
    Clock,
    Expired,
    Extended,
    HoldIdentities,
    HoldLock,
    HoldRules,
    Inventory,
    InventoryRefusal,
    InventorySnapshot,
    LockConflict,
    LockProblem,
    LockRefused,
    NotDue,
    OverdueHold,
    Released,
    SeatLocks,
    StoredHold,
    ZonesNotLoaded,
    lock_of,
)
from lml_seating.application.release_hold import ReleaseHold, release_hold
from lml_seating.application.tokens import digests_match, token_digest

__all__ = [
    "Acquired",
    "AvailabilityEvents",
    "Clock",
    "Expired",
    "ExtendHold",
    "ExtendHoldError",
    "Extended",
    "HoldIdentities",
    "HoldLock",
    "HoldRules",
    "HoldSeats",
    "HoldSeatsError",
    "Inventory",
    "InventoryRefusal",
    "InventorySnapshot",
    "LockConflict",
    "LockProblem",
    "LockRefused",
    "NotDue",
    "OverdueHold",
    "ReleaseHold",
    "Released",
    "SeatLocks",
    "StoredHold",
    "ZonesNotLoaded",
    "digests_match",
    "event_availability",
    "expire_due_holds",
    "extend_hold",
    "get_hold",
    "hold_seats",
    "lock_of",
    "release_hold",
    "token_digest",
]
