"""Holding seats and GA places: all or nothing, fenced by inventory."""

from __future__ import annotations

from typing import Any

import pytest

from lml_result import DependencyUnavailable, Ok
from lml_seating.application import digests_match, token_digest
from lml_seating.domain import (
    EventNotFound,
    FieldError,
    GaQuantity,
    HoldStatus,
    InvalidRequest,
    SeatConflict,
    TooManySeats,
    UnknownSalesChannel,
    UnknownSeats,
    UnknownZones,
)


async def test_given_free_seats_when_held_then_locks_and_inventory_both_record_the_hold(
    world: Any,
) -> None:
    grant = await world.held(seat_ids=("A-2", "A-1"), ga=(GaQuantity("GA", 2),), ttl_seconds=60)

    hold = grant.hold
    assert hold.seat_ids == ("A-1", "A-2")
    assert hold.status is HoldStatus.ACTIVE
    assert (hold.expires_at - hold.created_at).total_seconds() == 60
    assert (hold.max_expires_at - hold.created_at).total_seconds() == 1800
    assert await world.holders("A-1", "A-2") == {"A-1": hold.id, "A-2": hold.id}
    stored = await world.inventory.find("org_1", hold.id)
    assert stored.hold == hold
    assert digests_match(token_digest(grant.token), stored.token_hash)
    assert await world.kinds() == [("seat.held", "-"), ("zone.updated", "-")]


async def test_given_no_ttl_when_held_then_the_default_applies(world: Any) -> None:
    hold = (await world.held(seat_ids=("A-1",))).hold

    assert (hold.expires_at - hold.created_at).total_seconds() == 300


async def test_given_held_and_sold_seats_when_holding_them_then_every_conflict_is_named(
    world: Any, error_of: Any
) -> None:
    await world.held(seat_ids=("A-1",), ga=(GaQuantity("GA", 4),))

    error = error_of(await world.hold(seat_ids=("A-1", "A-2", "A-7"), ga=(GaQuantity("GA", 2),)))

    assert error == SeatConflict(seat_ids=("A-1", "A-7"), zone_ids=("GA",))
    assert await world.holders("A-2") == {}


async def test_given_a_sold_seat_among_free_ones_when_holding_then_nothing_is_held(
    world: Any, error_of: Any
) -> None:
    error = error_of(await world.hold(seat_ids=("A-1", "A-7")))

    assert error == SeatConflict(seat_ids=("A-7",), zone_ids=())
    assert await world.holders("A-1", "A-7") == {}
    assert await world.kinds() == [("seat.held", "-"), ("seat.released", "rolled_back")]


async def test_given_an_unknown_seat_when_holding_then_it_is_named_and_nothing_is_held(
    world: Any, error_of: Any
) -> None:
    error = error_of(await world.hold(seat_ids=("A-1", "Z-1")))

    assert error == UnknownSeats(("Z-1",))
    assert await world.holders("A-1") == {}


async def test_given_an_unknown_event_when_holding_then_it_is_not_found(
    world: Any, error_of: Any
) -> None:
    assert error_of(await world.hold(event_id="evt_other", seat_ids=("A-1",))) == EventNotFound(
        "evt_other"
    )


async def test_given_more_places_than_the_event_allows_when_holding_then_it_is_refused(
    world: Any, error_of: Any
) -> None:
    error = error_of(await world.hold(seat_ids=("A-1", "A-2"), ga=(GaQuantity("GA", 5),)))

    assert error == TooManySeats(limit=6, requested=7)


async def test_given_an_unknown_zone_or_channel_when_holding_then_it_is_named(
    world: Any, error_of: Any
) -> None:
    assert error_of(await world.hold(ga=(GaQuantity("BALCONY", 1),))) == UnknownZones(("BALCONY",))
    assert error_of(
        await world.hold(seat_ids=("A-1",), sales_channel_id="phone")
    ) == UnknownSalesChannel("phone")


async def test_given_a_malformed_request_when_holding_then_every_problem_is_reported(
    world: Any, error_of: Any
) -> None:
    error = error_of(
        await world.hold(seat_ids=("A-1", "A-1"), ga=(GaQuantity("GA", 0),), ttl_seconds=10)
    )

    assert error == InvalidRequest(
        (
            FieldError("seat_ids", "seat 'A-1' is named more than once"),
            FieldError("ga", "quantity for zone 'GA' must be at least 1"),
            FieldError("ttl_seconds", "must be between 30 and 900 seconds"),
        )
    )


async def test_given_a_seat_reserved_for_a_channel_then_only_that_channel_can_hold_it(
    world: Any, error_of: Any
) -> None:
    assert error_of(await world.hold(seat_ids=("A-8",), sales_channel_id="web")) == SeatConflict(
        seat_ids=("A-8",), zone_ids=()
    )
    assert isinstance(await world.hold(seat_ids=("A-8",), sales_channel_id="box"), Ok)


async def test_given_locks_that_lost_their_state_when_holding_held_seats_then_inventory_refuses(
    world: Any, error_of: Any
) -> None:
    first = await world.held(seat_ids=("A-1", "A-2"), ga=(GaQuantity("GA", 4),))
    world.locks.forget_everything()

    seats = error_of(await world.hold(seat_ids=("A-2", "A-3")))
    places = error_of(await world.hold(ga=(GaQuantity("GA", 2),)))

    assert seats == SeatConflict(seat_ids=("A-2",), zone_ids=())
    assert places == SeatConflict(seat_ids=(), zone_ids=("GA",))
    assert await world.holders("A-1", "A-2", "A-3") == {}
    stored = await world.inventory.find("org_1", first.hold.id)
    assert stored.hold.status is HoldStatus.ACTIVE


async def test_given_inventory_failing_while_recording_then_the_locks_are_rolled_back(
    world: Any,
) -> None:
    world.inventory.fail_next_take = DependencyUnavailable("postgresql")

    with pytest.raises(DependencyUnavailable):
        await world.hold(seat_ids=("A-1",), ga=(GaQuantity("GA", 3),))

    assert await world.holders("A-1") == {}
    assert (await world.locks.zones("evt_1", ["GA"]))["GA"].held == 0
    assert isinstance(await world.hold(seat_ids=("A-1",), ga=(GaQuantity("GA", 5),)), Ok)


async def test_given_a_zone_used_for_the_first_time_then_its_counters_come_from_inventory(
    world: Any,
) -> None:
    assert await world.locks.zones("evt_1", ["GA"]) == {}

    await world.held(ga=(GaQuantity("GA", 4),))

    assert (await world.locks.zones("evt_1", ["GA"]))["GA"].held == 4
