"""What the catalog use cases need from the outside world, as Protocols.

Adapters in ``infrastructure`` (PostgreSQL, MongoDB) and ``fakes`` (in memory)
implement these; the contract suites in ``tests/contract`` hold both to them.
Every read and write names its organisation, and nothing of another organisation
is ever found through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from lml_catalog.domain import (
    Cursor,
    Event,
    EventExists,
    Seatmap,
    SeatmapKey,
    SeatmapTooLarge,
    SeatStock,
    Venue,
    VenueExists,
)
from lml_result import Result


class Venues(Protocol):
    """Venues, listed oldest first (``created_at``, then id)."""

    async def add(self, venue: Venue) -> Result[None, VenueExists]: ...

    async def get(self, org_id: str, venue_id: str) -> Venue | None: ...

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Venue]:
        """Up to ``limit`` venues after the cursor's position."""
        ...


class Seatmaps(Protocol):
    """Seatmap documents, each bound to its organisation and venue."""

    async def put(self, key: SeatmapKey, seatmap: Seatmap) -> Result[bool, SeatmapTooLarge]:
        """Store ``seatmap`` under ``key``, replacing any; True when it did not exist before."""
        ...

    async def get(self, key: SeatmapKey) -> Seatmap | None: ...


class Events(Protocol):
    """Events with their inventory, listed by start time (``starts_at``, then id)."""

    async def add(self, event: Event, seats: Iterable[SeatStock]) -> Result[None, EventExists]:
        """Store the event, one counter per GA zone and one row per seat, all or nothing."""
        ...

    async def get(self, org_id: str, event_id: str) -> Event | None: ...

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Event]:
        """Up to ``limit`` events after the cursor's position."""
        ...


class CatalogIds(Protocol):
    """New identifiers; a port so tests can make them deterministic."""

    def new_venue_id(self) -> str: ...

    def new_event_id(self) -> str: ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...
