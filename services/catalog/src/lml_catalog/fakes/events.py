"""In-memory events, with the inventory each was created with, for tests to inspect."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lml_catalog.domain import Cursor, Event, EventExists, SeatStock
from lml_catalog.fakes.tenant_records import TenantRecords
from lml_result import Err, Ok, Result


class InMemoryEvents:
    def __init__(self) -> None:
        self._events = TenantRecords[Event](order=lambda event: (event.terms.starts_at, event.id))
        self._seats: dict[str, tuple[SeatStock, ...]] = {}

    async def add(self, event: Event, seats: Iterable[SeatStock]) -> Result[None, EventExists]:
        if event.id in self._events:
            return Err(EventExists(event_id=event.id))
        stock = tuple(seats)
        if len({seat.seat_id for seat in stock}) != len(stock):
            raise ValueError(f"event {event.id!r}: a seat id appears twice in its inventory")
        self._events.put(event)
        self._seats[event.id] = stock
        return Ok(None)

    async def get(self, org_id: str, event_id: str) -> Event | None:
        return self._events.get(org_id, event_id)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Event]:
        return self._events.page(org_id, after, limit)

    def seats_of(self, event_id: str) -> tuple[SeatStock, ...]:
        """The inventory rows the event was created with (none for an unknown event)."""
        return self._seats.get(event_id, ())
