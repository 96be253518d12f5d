"""Extending and releasing a hold: only with its token, and only while it runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from lml_result import Ok
from lml_seating.domain import (
    HoldNotFound,
    HoldStatus,
    HoldTokenRefused,
    InvalidRequest,
    LifetimeExceeded,
)


async def test_given_a_hold_when_extended_with_its_token_then_it_expires_ttl_from_now(
    world: Any,
) -> None:
    grant = await world.held(seat_ids=("A-1",), ttl_seconds=60)
    world.clock.advance(30)

    outcome = await world.extend(grant.hold.id, grant.token, ttl_seconds=120)

    assert isinstance(outcome, Ok)
    assert outcome.value.expires_at == world.clock.now() + timedelta(seconds=120)
    stored = await world.inventory.find("org_1", grant.hold.id)
    assert stored.hold.expires_at == outcome.value.expires_at


async def test_given_a_missing_or_wrong_token_when_extending_then_nothing_changes(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",))

    assert error_of(await world.extend(grant.hold.id, None)) == HoldTokenRefused("not_sent")
    assert error_of(await world.extend(grant.hold.id, "guess")) == HoldTokenRefused("wrong")
    stored = await world.inventory.find("org_1", grant.hold.id)
    assert stored.hold == grant.hold


async def test_given_a_hold_near_its_lifetime_when_extended_past_it_then_it_is_refused(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",), ttl_seconds=900)
    world.clock.advance(800)
    assert isinstance(await world.extend(grant.hold.id, grant.token, ttl_seconds=900), Ok)
    world.clock.advance(800)

    error = error_of(await world.extend(grant.hold.id, grant.token, ttl_seconds=300))

    assert error == LifetimeExceeded(grant.hold.max_expires_at)


async def test_given_an_expired_hold_when_extended_or_released_then_its_token_is_refused(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",), ttl_seconds=30)
    world.clock.advance(31)

    assert error_of(await world.extend(grant.hold.id, grant.token)) == HoldTokenRefused("expired")
    assert error_of(await world.release(grant.hold.id, grant.token)) == HoldTokenRefused("expired")


async def test_given_a_ttl_out_of_bounds_when_extending_then_it_is_invalid(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",))

    assert isinstance(
        error_of(await world.extend(grant.hold.id, grant.token, ttl_seconds=5)), InvalidRequest
    )


async def test_given_an_unknown_hold_then_extend_and_release_find_nothing(
    world: Any, error_of: Any
) -> None:
    assert error_of(await world.extend("hld_nope", "t")) == HoldNotFound("hld_nope")
    assert error_of(await world.release("hld_nope", "t")) == HoldNotFound("hld_nope")


async def test_given_a_hold_when_released_with_its_token_then_everything_is_free_at_once(
    world: Any,
) -> None:
    grant = await world.held(seat_ids=("A-1", "A-2"))

    assert await world.release(grant.hold.id, grant.token) == Ok(None)

    assert await world.holders("A-1", "A-2") == {}
    stored = await world.inventory.find("org_1", grant.hold.id)
    assert stored.hold.status is HoldStatus.RELEASED
    assert await world.kinds() == [("seat.held", "-"), ("seat.released", "released")]
    assert isinstance(await world.hold(seat_ids=("A-1", "A-2")), Ok)


async def test_given_a_wrong_token_when_releasing_then_the_hold_stays(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",))

    assert error_of(await world.release(grant.hold.id, "guess")) == HoldTokenRefused("wrong")
    assert error_of(await world.release(grant.hold.id, None)) == HoldTokenRefused("not_sent")

    assert await world.holders("A-1") == {"A-1": grant.hold.id}


async def test_given_a_released_hold_when_released_again_then_its_token_is_refused(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",))
    await world.release(grant.hold.id, grant.token)

    assert error_of(await world.release(grant.hold.id, grant.token)) == HoldTokenRefused("ended")


async def test_given_locks_that_lost_the_hold_when_its_owner_releases_then_inventory_decides(
    world: Any, error_of: Any
) -> None:
    grant = await world.held(seat_ids=("A-1",))
    world.locks.forget_everything()

    assert error_of(await world.release(grant.hold.id, "guess")) == HoldTokenRefused("wrong")
    assert await world.release(grant.hold.id, grant.token) == Ok(None)

    assert isinstance(await world.hold(seat_ids=("A-1",)), Ok)


async def test_given_locks_that_lost_the_hold_when_its_owner_extends_then_inventory_decides(
    world: Any,
) -> None:
    grant = await world.held(seat_ids=("A-1",), ttl_seconds=60)
    world.locks.forget_everything()

    outcome = await world.extend(grant.hold.id, grant.token, ttl_seconds=600)

    assert isinstance(outcome, Ok)
    assert outcome.value.expires_at == world.clock.now() + timedelta(seconds=600)
