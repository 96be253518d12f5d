"""Use case: the availability snapshot of an event."""

from __future__ import annotations

from lml_result import Err, Ok, Result
from lml_seating.application.ports import Clock, Inventory, LiveLocks
from lml_seating.domain import Availability, EventNotFound, UnknownSalesChannel, availability


async def event_availability(
    org_id: str,
    event_id: str,
    sales_channel_id: str | None = None,
    *,
    inventory: Inventory,
    live: LiveLocks,
    clock: Clock,
) -> Result[Availability, EventNotFound | UnknownSalesChannel]:
    """Inventory's seats and zones, with the live locks and GA counters laid over them."""
    snapshot = await inventory.snapshot(org_id, event_id, clock.now())
    if snapshot is None:
        return Err(EventNotFound(event_id))
    if sales_channel_id is not None and sales_channel_id not in snapshot.sales_channels:
        return Err(UnknownSalesChannel(sales_channel_id))
    locked = await live.holders(event_id, [seat.seat_id for seat in snapshot.seats])
    counters = await live.zones(event_id, [zone.zone_id for zone in snapshot.zones])
    return Ok(
        availability(
            event_id,
            snapshot.seats,
            snapshot.zones,
            locked_seats=locked.keys(),
            live_zones=counters,
            sales_channel_id=sales_channel_id,
        )
    )
