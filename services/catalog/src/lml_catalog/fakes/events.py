"""In-memory events, with the inventory each was created with, for tests to inspect."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lml_catalog.domain import Cursor, Event, EventExists, SeatStock
from lml_result import Err, Ok, Result


class InMemoryEvents:
    def __init__(self) -> None:
        self._events: dict[str, Event] = {}
        self._seats: dict[str, tuple[SeatStock, ...]] = {}

    async def add(self, event: Event, seats: Iterable[SeatStock]) -> Result[None, EventExists]:
        if event.id in self._events:
            return Err(EventExists(event_id=event.id))
        stock = tuple(seats)
        if len({seat.seat_id for seat in stock}) != len(stock):
            raise ValueError(f"event {event.id!r}: a seat id appears twice in its inventory")
        self._events[event.id] = event
        self._seats[event.id] = stock
        return Ok(None)

    async def get(self, org_id: str, event_id: str) -> Event | None:
        event = self._events.get(event_id)
        return event if event is not None and event.org_id == org_id else None

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Event]:
        ordered = sorted(
            (event for event in self._events.values() if event.org_id == org_id),
            key=lambda event: (event.terms.starts_at, event.id),
        )
        if after is not None:
            position = (after.after, after.after_id)
            ordered = [e for e in ordered if (e.terms.starts_at, e.id) > position]
        return ordered[:limit]

    def seats_of(self, event_id: str) -> tuple[SeatStock, ...]:
        """The inventory rows the event was created with (none for an unknown event)."""
        return self._seats.get(event_id, ())
