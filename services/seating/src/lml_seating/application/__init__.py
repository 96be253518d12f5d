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
    ExpiryQueue,
    Extended,
    HoldIdentities,
    HoldLocks,
    HoldRules,
    Inventory,
    InventoryRefusal,
    InventorySnapshot,
    LiveLocks,
    LockConflict,
    LockProblem,
    LockRefused,
    LockTerms,
    NotDue,
    OverdueHold,
    Released,
    StoredHold,
    ZonesNotLoaded,
)
from lml_seating.application.release_hold import ReleaseHold, release_hold
from lml_seating.application.tokens import digests_match, token_digest
from lml_seating.application.watch_availability import (
    WatchFrom,
    readable_event,
    watch_availability,
)

__all__ = [
    "Acquired",
    "AvailabilityEvents",
    "Clock",
    "Expired",
    "ExpiryQueue",
    "ExtendHold",
    "ExtendHoldError",
    "Extended",
    "HoldIdentities",
    "HoldLocks",
    "HoldRules",
    "HoldSeats",
    "HoldSeatsError",
    "Inventory",
    "InventoryRefusal",
    "InventorySnapshot",
    "LiveLocks",
    "LockConflict",
    "LockProblem",
    "LockRefused",
    "LockTerms",
    "NotDue",
    "OverdueHold",
    "ReleaseHold",
    "Released",
    "StoredHold",
    "WatchFrom",
    "ZonesNotLoaded",
    "digests_match",
    "event_availability",
    "expire_due_holds",
    "extend_hold",
    "get_hold",
    "hold_seats",
    "readable_event",
    "release_hold",
    "token_digest",
    "watch_availability",
]
