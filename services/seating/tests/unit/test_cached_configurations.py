"""Configurations kept in memory only while a listener hears their changes, and never kept
from a read its event's change overtook."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from lml_seating.application import InventoryConfiguration
from lml_seating.domain import ZoneCounts
from lml_seating.infrastructure import CachedConfigurations


def configuration(version: int) -> InventoryConfiguration:
    return InventoryConfiguration(version=version, zones=(), sales_channels=frozenset())


class ControlledConfigurations:
    """Inventory whose reads answer the current version, taken when the read starts; a read
    waits for ``gate`` when one is set."""

    def __init__(self) -> None:
        self.reads = 0
        self.version = 1
        self.gate: asyncio.Event | None = None
        self.started = asyncio.Event()

    async def configuration(self, org_id: str, event_id: str) -> InventoryConfiguration | None:
        self.reads += 1
        if org_id != "org":
            return None
        seen = configuration(self.version)
        self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        return seen

    async def zone_counts(
        self, org_id: str, event_id: str, zone_ids: Sequence[str]
    ) -> Sequence[ZoneCounts]:
        return []


async def test_given_a_listener_when_read_twice_then_inventory_is_read_once() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()

    assert await cached.configuration("org", "evt_1") == configuration(1)
    assert await cached.configuration("org", "evt_1") == configuration(1)

    assert source.reads == 1


async def test_given_a_cached_configuration_when_its_event_changes_then_it_is_read_again() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()
    await cached.configuration("org", "evt_1")

    source.version = 2
    cached.changed("org", "evt_1")

    assert await cached.configuration("org", "evt_1") == configuration(2)


async def test_given_another_events_change_then_the_cached_configuration_is_kept() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()
    await cached.configuration("org", "evt_1")

    cached.changed("org", "evt_2")
    cached.changed("other_org", "evt_1")
    await cached.configuration("org", "evt_1")

    assert source.reads == 1


async def test_given_no_listener_then_every_read_asks_inventory() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)

    await cached.configuration("org", "evt_1")
    await cached.configuration("org", "evt_1")

    assert source.reads == 2


async def test_given_a_cached_configuration_when_the_listener_stops_then_it_is_not_used() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()
    await cached.configuration("org", "evt_1")

    cached.listener_down()
    source.version = 2
    assert await cached.configuration("org", "evt_1") == configuration(2)
    cached.listener_up()
    await cached.configuration("org", "evt_1")

    assert source.reads == 3


async def test_given_a_read_under_way_when_its_event_changes_then_its_answer_is_not_kept() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()
    source.gate = asyncio.Event()
    overtaken = asyncio.create_task(cached.configuration("org", "evt_1"))
    await source.started.wait()

    source.version = 2
    cached.changed("org", "evt_1")
    source.gate.set()

    assert await overtaken == configuration(1)
    assert await cached.configuration("org", "evt_1") == configuration(2)


async def test_given_a_read_under_way_when_the_listener_restarts_then_it_is_not_kept() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()
    source.gate = asyncio.Event()
    overtaken = asyncio.create_task(cached.configuration("org", "evt_1"))
    await source.started.wait()

    cached.listener_down()
    source.version = 2
    cached.listener_up()
    source.gate.set()

    assert await overtaken == configuration(1)
    assert await cached.configuration("org", "evt_1") == configuration(2)


async def test_given_an_event_of_another_organisation_then_nothing_is_kept_for_it() -> None:
    source = ControlledConfigurations()
    cached = CachedConfigurations(source)
    cached.listener_up()

    assert await cached.configuration("other_org", "evt_1") is None
    assert await cached.configuration("other_org", "evt_1") is None

    assert source.reads == 2
