"""The inventory contract, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lml_result import Err, Ok
from lml_seating.application import InventoryRefusal, token_digest
from lml_seating.domain import EventRules, GaQuantity, Hold, HoldScope, HoldStatus, ZoneCounts

DIGEST = token_digest("the-token")


@pytest.fixture
def tenant() -> str:
    return f"org_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def event_id() -> str:
    return f"evt_{uuid.uuid4().hex[:12]}"


def a_hold(
    tenant: str,
    event_id: str,
    seats: tuple[str, ...] = (),
    ga: tuple[GaQuantity, ...] = (),
    *,
    channel: str | None = None,
    ttl: float = 300,
    created_at: datetime | None = None,
) -> Hold:
    # Whole milliseconds: the precision of the lock store's clock.
    now = (created_at or datetime.now(UTC)).replace(microsecond=0)
    return Hold(
        id=f"hld_{uuid.uuid4().hex[:12]}",
        org_id=tenant,
        event_id=event_id,
        seat_ids=seats,
        ga=ga,
        sales_channel_id=channel,
        status=HoldStatus.ACTIVE,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
        max_expires_at=now + timedelta(seconds=1800),
    )


async def statuses(harness: Any, tenant: str, event_id: str) -> dict[str, str]:
    snapshot = await harness.inventory.snapshot(tenant, event_id, datetime.now(UTC))
    return {seat.seat_id: seat.status for seat in snapshot.seats}


async def test_given_free_seats_when_taken_then_the_hold_is_recorded_and_its_seats_are_held(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1", "A-2", "A-3"])
    hold = a_hold(tenant, event_id, ("A-1", "A-2"))

    assert await inventory_harness.inventory.take(hold, DIGEST) == Ok(None)

    stored = await inventory_harness.inventory.find(tenant, hold.id)
    assert stored is not None
    assert (stored.hold, stored.token_hash) == (hold, DIGEST)
    assert await statuses(inventory_harness, tenant, event_id) == {
        "A-1": "held",
        "A-2": "held",
        "A-3": "available",
    }


async def test_given_a_seat_held_by_a_running_hold_when_taken_again_then_nothing_is_taken(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1", "A-2"])
    await inventory_harness.inventory.take(a_hold(tenant, event_id, ("A-2",)), DIGEST)
    second = a_hold(tenant, event_id, ("A-1", "A-2"))

    outcome = await inventory_harness.inventory.take(second, DIGEST)

    assert outcome == Err(InventoryRefusal(seat_ids=("A-2",)))
    assert await inventory_harness.inventory.find(tenant, second.id) is None
    assert (await statuses(inventory_harness, tenant, event_id))["A-1"] == "available"


async def test_given_a_seat_whose_hold_expired_when_taken_then_the_new_hold_gets_it(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    old = a_hold(
        tenant, event_id, ("A-1",), ttl=30, created_at=datetime.now(UTC) - timedelta(minutes=5)
    )
    await inventory_harness.inventory.take(old, DIGEST)

    assert await inventory_harness.inventory.take(a_hold(tenant, event_id, ("A-1",)), DIGEST) == Ok(
        None
    )


async def test_given_sold_blocked_and_unknown_seats_when_taken_then_each_kind_is_named(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(
        tenant,
        event_id,
        seats=["A-1", "A-2", "A-3"],
        statuses={"A-1": "sold", "A-2": "blocked"},
    )
    inventory = inventory_harness.inventory

    assert await inventory.take(a_hold(tenant, event_id, ("A-1", "A-2", "A-3")), DIGEST) == Err(
        InventoryRefusal(seat_ids=("A-1", "A-2"))
    )
    assert await inventory.take(a_hold(tenant, event_id, ("A-3", "Z-9")), DIGEST) == Err(
        InventoryRefusal(unknown_seat_ids=("Z-9",))
    )


async def test_given_concurrent_takes_when_some_are_refused_then_each_stands_or_falls_alone(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    """PostgreSQL records concurrent holds of one organisation in one transaction: a
    refused hold there must leave the others whole, and two holds wanting the same seat
    or the last places (a lock store that lost its state lets both through) get one."""
    await inventory_harness.add_event(
        tenant, event_id, seats=["A-1", "A-2", "A-3", "A-4"], zones={"GA": 3}
    )
    inventory = inventory_harness.inventory
    holds = [
        a_hold(tenant, event_id, ("A-1", "A-2")),
        a_hold(tenant, event_id, ("A-2", "A-3")),
        a_hold(tenant, event_id, ("A-4", "Z-9")),
        a_hold(tenant, event_id, ga=(GaQuantity("GA", 2),)),
        a_hold(tenant, event_id, ga=(GaQuantity("GA", 2),)),
    ]

    outcomes = await asyncio.gather(*(inventory.take(hold, DIGEST) for hold in holds))

    assert outcomes == [
        Ok(None),
        Err(InventoryRefusal(seat_ids=("A-2",))),
        Err(InventoryRefusal(unknown_seat_ids=("Z-9",))),
        Ok(None),
        Err(InventoryRefusal(zone_ids=("GA",))),
    ]
    assert await statuses(inventory_harness, tenant, event_id) == {
        "A-1": "held",
        "A-2": "held",
        "A-3": "available",
        "A-4": "available",
    }
    assert [await inventory.find(tenant, hold.id) is not None for hold in holds] == [
        True,
        False,
        False,
        True,
        False,
    ]
    [zone] = await inventory.zone_counts(tenant, event_id, ["GA"])
    assert zone.held == 2


async def test_given_a_seat_reserved_for_a_channel_then_only_that_channel_takes_it(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(
        tenant, event_id, seats=["A-1"], sales_channels=["web", "box"], seat_channels={"A-1": "box"}
    )
    inventory = inventory_harness.inventory

    assert await inventory.take(a_hold(tenant, event_id, ("A-1",)), DIGEST) == Err(
        InventoryRefusal(seat_ids=("A-1",))
    )
    assert await inventory.take(a_hold(tenant, event_id, ("A-1",), channel="web"), DIGEST) == Err(
        InventoryRefusal(seat_ids=("A-1",))
    )
    assert await inventory.take(a_hold(tenant, event_id, ("A-1",), channel="box"), DIGEST) == Ok(
        None
    )


async def test_given_a_zone_when_taking_places_then_capacity_is_never_exceeded(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"], zones={"GA": 5, "VIP": 2})
    inventory = inventory_harness.inventory
    first = a_hold(tenant, event_id, ga=(GaQuantity("GA", 4), GaQuantity("VIP", 1)))
    await inventory.take(first, DIGEST)

    outcome = await inventory.take(
        a_hold(tenant, event_id, ("A-1",), (GaQuantity("GA", 2), GaQuantity("VIP", 1))), DIGEST
    )

    assert outcome == Err(InventoryRefusal(zone_ids=("GA",)))
    assert await inventory.zone_counts(tenant, event_id, ["GA", "VIP"]) == [
        ZoneCounts(zone_id="GA", capacity=5, held=4, sold=0),
        ZoneCounts(zone_id="VIP", capacity=2, held=1, sold=0),
    ]
    assert (await statuses(inventory_harness, tenant, event_id))["A-1"] == "available"


async def test_given_a_hold_when_ended_then_its_seats_and_places_are_free_once(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"], zones={"GA": 5})
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",), (GaQuantity("GA", 3),))
    await inventory.take(hold, DIGEST)

    assert await inventory.end(tenant, hold.id, HoldStatus.RELEASED, datetime.now(UTC))
    assert not await inventory.end(tenant, hold.id, HoldStatus.EXPIRED, datetime.now(UTC))

    stored = await inventory.find(tenant, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.RELEASED
    assert (await statuses(inventory_harness, tenant, event_id))["A-1"] == "available"
    assert (await inventory.zone_counts(tenant, event_id, ["GA"]))[0].held == 0


async def test_given_an_expired_hold_whose_seat_was_retaken_when_it_ends_then_the_seat_stays_held(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    inventory = inventory_harness.inventory
    old = a_hold(
        tenant, event_id, ("A-1",), ttl=30, created_at=datetime.now(UTC) - timedelta(minutes=5)
    )
    await inventory.take(old, DIGEST)
    await inventory.take(a_hold(tenant, event_id, ("A-1",)), DIGEST)

    assert await inventory.end(tenant, old.id, HoldStatus.EXPIRED, datetime.now(UTC))

    assert (await statuses(inventory_harness, tenant, event_id))["A-1"] == "held"


async def test_given_a_hold_when_extended_then_it_and_its_seats_expire_later(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    inventory = inventory_harness.inventory
    hold = a_hold(
        tenant, event_id, ("A-1",), ttl=30, created_at=datetime.now(UTC) - timedelta(seconds=20)
    )
    await inventory.take(hold, DIGEST)
    later = hold.expires_at + timedelta(minutes=10)

    assert await inventory.extend(tenant, hold.id, DIGEST, later)

    stored = await inventory.find(tenant, hold.id)
    assert stored is not None
    assert stored.hold.expires_at == later
    after_old_expiry = hold.expires_at + timedelta(seconds=1)
    snapshot = await inventory.snapshot(tenant, event_id, after_old_expiry)
    assert snapshot.seats[0].status == "held"


async def test_given_an_ended_hold_when_extended_then_nothing_changes(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",))
    await inventory.take(hold, DIGEST)
    await inventory.end(tenant, hold.id, HoldStatus.RELEASED, datetime.now(UTC))

    assert not await inventory.extend(
        tenant, hold.id, DIGEST, hold.expires_at + timedelta(minutes=1)
    )


async def test_given_another_token_when_extended_then_nothing_changes(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    """PostgreSQL fences extend by the token digest, as it does release, so a lock store
    that lost or confused its state cannot extend a hold for the wrong caller."""
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",))
    await inventory.take(hold, DIGEST)

    later = hold.expires_at + timedelta(minutes=1)
    assert not await inventory.extend(tenant, hold.id, token_digest("guess"), later)

    stored = await inventory.find(tenant, hold.id)
    assert stored is not None
    assert stored.hold.expires_at == hold.expires_at


async def test_given_a_request_when_asking_what_refuses_it_then_every_obstacle_is_named(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(
        tenant, event_id, seats=["A-1", "A-2", "A-3"], zones={"GA": 2}, statuses={"A-2": "sold"}
    )
    inventory = inventory_harness.inventory
    await inventory.take(a_hold(tenant, event_id, ("A-1",), (GaQuantity("GA", 2),)), DIGEST)
    lock = HoldScope(
        org_id=tenant,
        event_id=event_id,
        id="hld_probe",
        seat_ids=("A-1", "A-2", "A-3"),
        ga=(GaQuantity("GA", 1),),
        sales_channel_id=None,
    )

    assert await inventory.refusal(lock) == InventoryRefusal(
        seat_ids=("A-1", "A-2"), zone_ids=("GA",)
    )
    free = a_hold(tenant, event_id, ("A-3",))
    assert not await inventory.refusal(free)


async def test_given_an_event_when_snapshotted_then_lapsed_holds_read_as_available(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(
        tenant,
        event_id,
        seats=["A-1", "A-2", "A-3"],
        zones={"GA": 4},
        statuses={"A-3": "blocked"},
        sales_channels=["web"],
    )
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",), (GaQuantity("GA", 1),), ttl=60)
    await inventory.take(hold, DIGEST)

    now = await inventory.snapshot(tenant, event_id, hold.created_at)
    later = await inventory.snapshot(tenant, event_id, hold.expires_at)

    assert [(seat.seat_id, seat.status) for seat in now.seats] == [
        ("A-1", "held"),
        ("A-2", "available"),
        ("A-3", "blocked"),
    ]
    assert later.seats[0].status == "available"
    assert now.zones == (ZoneCounts(zone_id="GA", capacity=4, held=1, sold=0),)
    assert now.sales_channels == frozenset({"web"})


async def test_given_another_organisation_then_its_events_and_holds_are_invisible(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",))
    await inventory.take(hold, DIGEST)
    stranger = f"org_{uuid.uuid4().hex[:12]}"

    assert await inventory.find(stranger, hold.id) is None
    assert await inventory.snapshot(stranger, event_id, datetime.now(UTC)) is None
    assert await inventory_harness.rules.rules(stranger, event_id) is None
    assert not await inventory.end(stranger, hold.id, HoldStatus.RELEASED, datetime.now(UTC))


async def test_given_an_event_then_its_hold_rules_name_its_limit_channels_and_zones(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(
        tenant, event_id, zones={"GA": 100, "VIP": 10}, max_seats_per_hold=6, sales_channels=["web"]
    )

    assert await inventory_harness.rules.rules(tenant, event_id) == EventRules(
        event_id=event_id,
        max_seats_per_hold=6,
        sales_channels=frozenset({"web"}),
        zone_capacities={"GA": 100, "VIP": 10},
    )
    assert await inventory_harness.rules.rules(tenant, "evt_missing") is None


async def test_given_a_hold_when_released_with_its_token_then_it_ends_and_comes_back_as_it_was(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"], zones={"GA": 5})
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",), (GaQuantity("GA", 2),))
    await inventory.take(hold, DIGEST)

    assert await inventory.release(tenant, hold.id, token_digest("guess"), hold.created_at) is None
    assert await inventory.release(tenant, hold.id, DIGEST, hold.created_at) == hold
    assert await inventory.release(tenant, hold.id, DIGEST, hold.created_at) is None

    assert (await statuses(inventory_harness, tenant, event_id))["A-1"] == "available"
    assert (await inventory.zone_counts(tenant, event_id, ["GA"]))[0].held == 0
    stored = await inventory.find(tenant, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.RELEASED


async def test_given_an_expired_hold_when_released_with_its_token_then_nothing_changes(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    await inventory_harness.add_event(tenant, event_id, seats=["A-1"])
    inventory = inventory_harness.inventory
    hold = a_hold(tenant, event_id, ("A-1",), ttl=30)
    await inventory.take(hold, DIGEST)

    assert await inventory.release(tenant, hold.id, DIGEST, hold.expires_at) is None

    stored = await inventory.find(tenant, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.ACTIVE


async def test_given_holds_of_several_organisations_then_the_long_overdue_ones_are_listed(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    other_tenant, other_event = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    await inventory_harness.add_event(tenant, event_id, seats=["A-1", "A-2", "A-3"])
    await inventory_harness.add_event(other_tenant, other_event, seats=["A-1"])
    inventory = inventory_harness.inventory
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    overdue = a_hold(tenant, event_id, ("A-1",), ttl=60, created_at=long_ago)
    elsewhere = a_hold(other_tenant, other_event, ("A-1",), ttl=60, created_at=long_ago)
    ended = a_hold(tenant, event_id, ("A-2",), ttl=60, created_at=long_ago)
    running = a_hold(tenant, event_id, ("A-3",))
    for hold in (overdue, elsewhere, ended, running):
        await inventory.take(hold, DIGEST)
    await inventory.end(tenant, ended.id, HoldStatus.EXPIRED, datetime.now(UTC))

    listed = {(o.org_id, o.event_id, o.hold_id) for o in await inventory.overdue(60, 10_000)}

    assert (tenant, event_id, overdue.id) in listed
    assert (other_tenant, other_event, elsewhere.id) in listed
    assert not {ended.id, running.id} & {hold_id for _, _, hold_id in listed}


async def test_given_concurrent_ends_then_each_hold_ends_once_and_frees_what_it_held(
    inventory_harness: Any, tenant: str, event_id: str
) -> None:
    """PostgreSQL ends concurrent holds of one organisation in one transaction: the same
    hold released twice at once ends once, a wrong token ends nothing, and the others
    free their seats and places."""
    await inventory_harness.add_event(
        tenant, event_id, seats=["A-1", "A-2", "A-3"], zones={"GA": 5}
    )
    inventory = inventory_harness.inventory
    seated = a_hold(tenant, event_id, ("A-1", "A-2"))
    standing = a_hold(tenant, event_id, ga=(GaQuantity("GA", 3),))
    guarded = a_hold(tenant, event_id, ("A-3",))
    for hold in (seated, standing, guarded):
        assert await inventory.take(hold, DIGEST) == Ok(None)
    now = seated.created_at

    outcomes = await asyncio.gather(
        inventory.release(tenant, seated.id, DIGEST, now),
        inventory.release(tenant, seated.id, DIGEST, now),
        inventory.end(tenant, standing.id, HoldStatus.EXPIRED, now),
        inventory.release(tenant, guarded.id, token_digest("guess"), now),
    )

    assert outcomes == [seated, None, True, None]
    assert await statuses(inventory_harness, tenant, event_id) == {
        "A-1": "available",
        "A-2": "available",
        "A-3": "held",
    }
    [zone] = await inventory.zone_counts(tenant, event_id, ["GA"])
    assert zone.held == 0
