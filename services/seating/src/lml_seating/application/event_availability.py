"""Use cases: the availability snapshot of an event, and its entity tag alone.

A snapshot is inventory's configuration of the event (seats, price categories, sold,
blocked, channel reservations, zones) with the lock store's live state laid over it, the
live state and the stream's last id read in one atomic step
(docs/decisions/0008-consistent-availability-snapshot.md). Its tag is made from what
shapes it, so a revalidation needs no snapshot: one lock store call, and inventory's
configuration (kept in memory by the API, docs/decisions/0014).
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.application.ports import (
    Clock,
    Inventory,
    InventoryConfiguration,
    InventoryConfigurations,
    InventorySnapshot,
    LiveCut,
    LiveLocks,
)
from lml_seating.domain import (
    Availability,
    EventNotFound,
    UnknownSalesChannel,
    ZoneCounts,
    availability,
    snapshot_tag,
)

AvailabilityError = EventNotFound | UnknownSalesChannel
_Offer = TypeVar("_Offer", InventoryConfiguration, InventorySnapshot)


class AvailabilityTag(msgspec.Struct, frozen=True, kw_only=True):
    """A snapshot's strong entity tag (unquoted) and the stream id it is as of."""

    tag: str
    stream_id: str


class AvailabilitySnapshot(msgspec.Struct, frozen=True, kw_only=True):
    availability: Availability
    tag: str


async def event_availability(
    org_id: str,
    event_id: str,
    sales_channel_id: str | None = None,
    *,
    inventory: Inventory,
    live: LiveLocks,
    clock: Clock,
) -> Result[AvailabilitySnapshot, AvailabilityError]:
    """Inventory's seats and zones, with the live locks and GA counters laid over them."""
    offered = _offered(
        event_id, await inventory.snapshot(org_id, event_id, clock.now()), sales_channel_id
    )
    if isinstance(offered, Err):
        return offered
    snapshot = offered.value
    cut = await live.cut(
        event_id,
        [seat.seat_id for seat in snapshot.seats],
        [zone.zone_id for zone in snapshot.zones],
    )
    view = availability(
        event_id,
        snapshot.seats,
        snapshot.zones,
        stream_id=cut.stream_id,
        locked_seats=cut.holders.keys(),
        live_zones=cut.zones,
        sales_channel_id=sales_channel_id,
    )
    return Ok(
        AvailabilitySnapshot(
            availability=view,
            tag=_tag(cut, snapshot.version, snapshot.zones, sales_channel_id),
        )
    )


async def availability_tag(
    org_id: str,
    event_id: str,
    sales_channel_id: str | None = None,
    *,
    configurations: InventoryConfigurations,
    live: LiveLocks,
) -> Result[AvailabilityTag, AvailabilityError]:
    """The tag ``event_availability`` would give now, without reading a seat."""
    offered = _offered(
        event_id, await configurations.configuration(org_id, event_id), sales_channel_id
    )
    if isinstance(offered, Err):
        return offered
    configuration = offered.value
    cut = await live.cut(event_id, (), [zone.zone_id for zone in configuration.zones])
    zones = configuration.zones
    # Inventory's counters stand in where the lock store has none, and a configuration
    # kept in memory may carry counters older than its version: read them as they are now.
    if unlive := [zone.zone_id for zone in zones if zone.zone_id not in cut.zones]:
        current = {
            zone.zone_id: zone
            for zone in await configurations.zone_counts(org_id, event_id, unlive)
        }
        zones = tuple(current.get(zone.zone_id, zone) for zone in zones)
    return Ok(
        AvailabilityTag(
            tag=_tag(cut, configuration.version, zones, sales_channel_id),
            stream_id=cut.stream_id,
        )
    )


def _offered(
    event_id: str, found: _Offer | None, sales_channel_id: str | None
) -> Result[_Offer, AvailabilityError]:
    """What inventory found of the event, unless there is no such event (for this
    organisation) or it is not sold through the sales channel asked for."""
    if found is None:
        return Err(EventNotFound(event_id))
    if sales_channel_id is not None and sales_channel_id not in found.sales_channels:
        return Err(UnknownSalesChannel(sales_channel_id))
    return Ok(found)


def _tag(
    cut: LiveCut, version: int, zones: tuple[ZoneCounts, ...], sales_channel_id: str | None
) -> str:
    """Every zone's counters as the snapshot shows them: the lock store's, or inventory's
    where it has none (it never used the zone, or lost its state). So loading counters that
    equal inventory's changes nothing, and inventory's changing does."""
    return snapshot_tag(
        stream_id=cut.stream_id,
        configuration_version=version,
        sales_channel_id=sales_channel_id,
        zones=[cut.zones.get(zone.zone_id, zone) for zone in zones],
    )
