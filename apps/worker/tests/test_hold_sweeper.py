"""The hold sweeper job, on in-memory seating adapters."""

import asyncio

import msgspec

from lml_seating.application import HoldSeats, hold_seats
from lml_seating.domain import HoldPolicy, HoldStatus
from lml_seating.fakes import (
    InMemoryAvailabilityEvents,
    InMemoryInventory,
    InMemoryLockStore,
    ManualClock,
    SequentialHoldIdentities,
)
from lml_worker import run_once
from lml_worker.hold_sweeper import hold_sweeper

POLICY = HoldPolicy(
    default_ttl_seconds=60, min_ttl_seconds=30, max_ttl_seconds=900, max_lifetime_seconds=1800
)


async def test_given_expired_holds_when_two_sweepers_run_then_each_is_released_once() -> None:
    clock = ManualClock()
    events = InMemoryAvailabilityEvents()
    inventory = InMemoryInventory(clock)
    inventory.add_event("org_1", "evt_1", seats=[f"A-{n}" for n in range(6)])
    locks = InMemoryLockStore(clock, events)
    identities = SequentialHoldIdentities()
    holds = []
    for n in range(3):
        outcome = await hold_seats(
            HoldSeats(org_id="org_1", event_id="evt_1", seat_ids=(f"A-{n}",)),
            policy=POLICY,
            rules=inventory,
            locks=locks,
            inventory=inventory,
            identities=identities,
        )
        holds.append(outcome.value.hold.id)  # type: ignore[union-attr]
    clock.advance(61)
    sweepers = [
        hold_sweeper(expiries=locks, inventory=inventory, clock=clock, interval_seconds=1)
        for _ in range(2)
    ]

    assert all(await asyncio.gather(*(run_once(job) for job in sweepers)))

    reasons = [msgspec.json.decode(e.data).get("reason") for e in await events.since("evt_1")]
    assert reasons.count("expired") == 3
    for hold_id in holds:
        stored = await inventory.find("org_1", hold_id)
        assert stored is not None
        assert stored.hold.status is HoldStatus.EXPIRED
