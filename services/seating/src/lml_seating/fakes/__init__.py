"""In-memory adapters of every seating port, for unit tests and the serverless API."""

from lml_seating.fakes.availability_events import InMemoryAvailabilityEvents
from lml_seating.fakes.clock import ManualClock
from lml_seating.fakes.identities import SequentialHoldIdentities
from lml_seating.fakes.inventory import InMemoryInventory
from lml_seating.fakes.lock_store import InMemoryLockStore

__all__ = [
    "InMemoryAvailabilityEvents",
    "InMemoryInventory",
    "InMemoryLockStore",
    "ManualClock",
    "SequentialHoldIdentities",
]
