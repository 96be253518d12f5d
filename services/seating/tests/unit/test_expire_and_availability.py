"""The sweeper's pass, and the availability snapshot that merges inventory with locks."""

from __future__ import annotations

import asyncio
from typing import Any

from lml_result import Ok
from lml_seating.application import LockTerms, event_availability, expire_due_holds
from lml_seating.domain import (
    Counts,
    EventNotFound,
    GaQuantity,
    HoldScope,
    HoldStatus,
    UnknownSalesChannel,
    ZoneAvailability,
)


async def sweep(world: Any) -> int:
    return await expire_due_holds(
        expiries=world.locks, inventory=world.inventory, clock=world.clock
    )


async def test_given_expired_holds_when_two_sweepers_run_then_each_expiry_is_published_once(
    world: Any,
) -> None:
    first = await world.held(seat_ids=("A-1",), ttl_seconds=30)
    second = await world.held(ga=(GaQuantity("GA", 2),), ttl_seconds=30)
    running = await world.held(seat_ids=("A-2",), ttl_seconds=300)
    world.clock.advance(31)

    expired = await asyncio.gather(sweep(world), sweep(world))

    assert sum(expired) == 2
    assert (await world.kinds()).count(("seat.released", "expired")) == 2
    for grant in (first, second):
        stored = await world.inventory.find("org_1", grant.hold.id)
        assert stored.hold.status is HoldStatus.EXPIRED
    stored = await world.inventory.find("org_1", running.hold.id)
    assert stored.hold.status is HoldStatus.ACTIVE
    assert (await world.inventory.zone_counts("org_1", "evt_1", ["GA"]))[0].held == 0
    assert await sweep(world) == 0


async def availability_of(world: Any, **kwargs: Any) -> Any:
    return await event_availability(
        "org_1",
        kwargs.pop("event_id", "evt_1"),
        kwargs.pop("sales_channel_id", None),
        inventory=world.inventory,
        live=world.locks,
        clock=world.clock,
    )


async def test_given_holds_and_sales_then_the_snapshot_shows_every_seat_and_zone(
    world: Any,
) -> None:
    await world.held(seat_ids=("A-1", "A-2"), ga=(GaQuantity("GA", 3),))

    outcome = await availability_of(world)

    assert isinstance(outcome, Ok)
    snapshot = outcome.value.availability
    statuses = {seat.id: seat.status for seat in snapshot.seats}
    assert statuses == {
        "A-1": "held",
        "A-2": "held",
        "A-3": "available",
        "A-4": "available",
        "A-5": "available",
        "A-6": "available",
        "A-7": "sold",
        "A-8": "blocked",
    }
    assert snapshot.zones == (ZoneAvailability(id="GA", capacity=5, available=2, held=3, sold=0),)
    assert snapshot.counts == Counts(available=6, held=5, sold=1, blocked=1)


async def test_given_a_channel_when_snapshotting_then_its_reserved_seats_are_available_to_it(
    world: Any,
) -> None:
    outcome = await availability_of(world, sales_channel_id="box")

    assert isinstance(outcome, Ok)
    assert {seat.id: seat.status for seat in outcome.value.availability.seats}["A-8"] == "available"


async def test_given_a_lock_inventory_does_not_know_yet_then_the_seat_reads_held(
    world: Any,
) -> None:
    in_flight = HoldScope(
        org_id="org_1",
        event_id="evt_1",
        id="hld_in_flight",
        seat_ids=("A-3",),
        ga=(),
        sales_channel_id=None,
    )
    await world.locks.acquire(
        in_flight, b"digest", LockTerms(ttl_seconds=60, max_lifetime_seconds=600)
    )

    outcome = await availability_of(world)

    assert isinstance(outcome, Ok)
    assert {seat.id: seat.status for seat in outcome.value.availability.seats}["A-3"] == "held"


async def test_given_an_unknown_event_or_channel_then_the_snapshot_says_so(world: Any) -> None:
    assert (await availability_of(world, event_id="evt_x")).error == EventNotFound("evt_x")
    assert (await availability_of(world, sales_channel_id="tv")).error == UnknownSalesChannel("tv")


async def test_given_locks_that_lost_an_expired_hold_then_the_sweep_still_frees_it_once(
    world: Any,
) -> None:
    grant = await world.held(seat_ids=("A-1",), ga=(GaQuantity("GA", 2),), ttl_seconds=30)
    world.locks.forget_everything()
    world.clock.advance(31)
    assert await sweep(world) == 0  # within the grace: the locks might still know it

    world.clock.advance(60)

    assert await asyncio.gather(sweep(world), sweep(world)) in ([1, 0], [0, 1])
    stored = await world.inventory.find("org_1", grant.hold.id)
    assert stored.hold.status is HoldStatus.EXPIRED
    assert (await world.inventory.zone_counts("org_1", "evt_1", ["GA"]))[0].held == 0
    assert (await world.kinds()).count(("seat.released", "expired")) == 1
