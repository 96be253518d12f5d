"""The order path's ports: the lock store settling a converted hold (memory and Redis),
and inventory converting one (PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import psycopg
import pytest

from lml_postgres import AppPool
from lml_seating.application import (
    Acquired,
    ConversionRefused,
    Expired,
    LockRefused,
    LockTerms,
    Released,
    Settled,
    Sold,
    token_digest,
)
from lml_seating.domain import (
    ConvertedHold,
    GaQuantity,
    Hold,
    HoldScope,
    HoldStatus,
    PricedPlaces,
    PricedSeat,
)
from lml_seating.infrastructure import PostgresHoldConversion, PostgresInventory
from lml_tenancy import tenant_unit_of_work
from lml_testing.databases import TemporaryDatabase

TOKEN = token_digest("owner-token-" + "x" * 32)
OTHER = token_digest("someone-else-" + "y" * 32)
SHORT_TTL = 0.2


def a_lock(event_id: str, seats: tuple[str, ...]) -> HoldScope:
    return HoldScope(
        org_id="org_1",
        event_id=event_id,
        id=f"hld_{uuid.uuid4().hex[:12]}",
        seat_ids=seats,
        ga=(),
        sales_channel_id=None,
    )


async def acquired(harness: Any, lock: HoldScope, ttl: float) -> None:
    outcome = await harness.locks.acquire(
        lock, TOKEN, LockTerms(ttl_seconds=ttl, max_lifetime_seconds=1800)
    )
    assert isinstance(outcome, Acquired), outcome


async def test_a_settled_hold_keeps_its_seats_past_its_expiry_and_is_never_due(
    harness: Any,
) -> None:
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    lock = a_lock(event_id, ("A-1", "A-2"))
    await acquired(harness, lock, SHORT_TTL)

    assert await harness.orders.settle(lock, TOKEN) == Settled()
    await harness.let_pass(SHORT_TTL)

    assert await harness.live.holders(event_id, ["A-1", "A-2"]) == {
        "A-1": lock.id,
        "A-2": lock.id,
    }
    assert lock.id not in {due.id for due in await harness.expiries.due(100)}
    assert await harness.expiries.expire(lock) == LockRefused("ended")


async def test_settling_is_idempotent_and_needs_the_owners_token(harness: Any) -> None:
    lock = a_lock(f"evt_{uuid.uuid4().hex[:12]}", ("A-1",))
    await acquired(harness, lock, 30)

    assert await harness.orders.settle(lock, OTHER) == LockRefused("token")
    assert await harness.orders.settle(lock, TOKEN) == Settled()
    assert await harness.orders.settle(lock, TOKEN) == Settled()


async def test_a_hold_the_sweeper_ended_first_is_not_settled(harness: Any) -> None:
    lock = a_lock(f"evt_{uuid.uuid4().hex[:12]}", ("A-1",))
    await acquired(harness, lock, SHORT_TTL)
    await harness.let_pass(SHORT_TTL)
    assert await harness.expiries.expire(lock) == Expired()

    assert await harness.orders.settle(lock, TOKEN) == LockRefused("ended")


# PostgreSQL: lml.convert_hold through PostgresHoldConversion, in a tenant unit of work.


async def seeded_hold(
    pool: AppPool, seed: Callable[..., Awaitable[None]], *, ttl: float = 300
) -> tuple[Hold, PostgresInventory]:
    org_id, event_id = f"org_{uuid.uuid4().hex[:8]}", f"evt_{uuid.uuid4().hex[:8]}"
    await seed(org_id, event_id, seats=["A-1", "A-2", "A-3"], zones={"floor": 10})
    now = datetime.now(UTC)
    hold = Hold(
        id=f"hld_{uuid.uuid4().hex[:12]}",
        org_id=org_id,
        event_id=event_id,
        seat_ids=("A-1", "A-2"),
        ga=(GaQuantity("floor", 2),),
        sales_channel_id=None,
        status=HoldStatus.ACTIVE,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
        max_expires_at=now + timedelta(seconds=1800),
    )
    inventory = PostgresInventory(pool)
    assert (await inventory.take(hold, TOKEN)).is_ok()
    return hold, inventory


@pytest.mark.integration
async def test_a_converted_hold_keeps_its_seats_for_good_with_their_categories(
    app_pool: AppPool, seed: Callable[..., Awaitable[None]], migrated_database: TemporaryDatabase
) -> None:
    hold, inventory = await seeded_hold(app_pool, seed)

    async with tenant_unit_of_work(app_pool, hold.org_id) as unit:
        converted = await PostgresHoldConversion(unit).convert(
            hold.org_id, hold.id, TOKEN, datetime.now(UTC)
        )
        await unit.commit()

    assert converted == ConvertedHold(
        scope=HoldScope(**{f: getattr(hold, f) for f in HoldScope.__struct_fields__}),
        seats=(
            PricedSeat(seat_id="A-1", price_category="standard"),
            PricedSeat(seat_id="A-2", price_category="standard"),
        ),
        zones=(PricedPlaces(zone_id="floor", price_category="standard", quantity=2),),
    )
    stored = await inventory.find(hold.org_id, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.CONVERTED
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select seat_id, status, hold_id, hold_expires_at from lml.event_seats"
            " where event_id = %s order by seat_id",
            (hold.event_id,),
        )
        seats = await cursor.fetchall()
    assert seats == [
        ("A-1", "held", hold.id, None),
        ("A-2", "held", hold.id, None),
        ("A-3", "available", None, None),
    ]
    # The sweeper's end (no token) no longer ends it.
    assert not await inventory.end(hold.org_id, hold.id, HoldStatus.EXPIRED, datetime.now(UTC))


@pytest.mark.integration
@pytest.mark.parametrize(
    ("token", "org", "late", "expected"),
    [
        (OTHER, None, False, "token"),
        (TOKEN, "org_other", False, "unknown"),
        (TOKEN, None, True, "ended"),
    ],
)
async def test_a_refused_conversion_changes_nothing(
    app_pool: AppPool,
    seed: Callable[..., Awaitable[None]],
    token: bytes,
    org: str | None,
    late: bool,
    expected: str,
) -> None:
    hold, inventory = await seeded_hold(app_pool, seed)
    org_id = org or hold.org_id
    at = hold.expires_at if late else datetime.now(UTC)

    async with tenant_unit_of_work(app_pool, org_id) as unit:
        outcome = await PostgresHoldConversion(unit).convert(org_id, hold.id, token, at)
        await unit.commit()

    assert outcome == ConversionRefused(expected)  # type: ignore[arg-type]
    stored = await inventory.find(hold.org_id, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.ACTIVE


@pytest.mark.integration
async def test_a_hold_converts_once_and_not_after_it_was_released(
    app_pool: AppPool, seed: Callable[..., Awaitable[None]]
) -> None:
    hold, inventory = await seeded_hold(app_pool, seed)
    conversion = PostgresHoldConversion(app_pool)
    now = datetime.now(UTC)

    assert isinstance(await conversion.convert(hold.org_id, hold.id, TOKEN, now), ConvertedHold)
    assert await conversion.convert(hold.org_id, hold.id, TOKEN, now) == ConversionRefused(
        "converted_already"
    )

    released, _ = await seeded_hold(app_pool, seed)
    assert await inventory.release(released.org_id, released.id, TOKEN, now) is not None
    assert await conversion.convert(released.org_id, released.id, TOKEN, now) == ConversionRefused(
        "ended"
    )


async def test_a_canceled_orders_hold_frees_its_locks_and_says_order_canceled(
    harness: Any,
) -> None:
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    lock = a_lock(event_id, ("A-1",))
    await acquired(harness, lock, 30)
    assert await harness.orders.cancel(lock) == LockRefused("ended")  # not converted yet
    await harness.orders.settle(lock, TOKEN)

    assert await harness.orders.cancel(lock) == Released()

    assert await harness.live.holders(event_id, ["A-1"]) == {}
    last = (await harness.events.since(event_id))[-1]
    assert last.type == "seat.released"
    assert msgspec.json.decode(last.data)["reason"] == "order_canceled"
    assert await harness.orders.cancel(lock) == LockRefused("ended")


@pytest.mark.integration
async def test_a_converted_holds_places_are_released_once_and_only_when_converted(
    app_pool: AppPool, seed: Callable[..., Awaitable[None]], migrated_database: TemporaryDatabase
) -> None:
    hold, inventory = await seeded_hold(app_pool, seed)
    conversion = PostgresHoldConversion(app_pool)
    now = datetime.now(UTC)
    assert await conversion.release(hold.org_id, hold.id, now) is None  # active, not converted
    await conversion.convert(hold.org_id, hold.id, TOKEN, now)

    released = await conversion.release(hold.org_id, hold.id, now)

    assert released == HoldScope(**{f: getattr(hold, f) for f in HoldScope.__struct_fields__})
    assert await conversion.release(hold.org_id, hold.id, now) is None
    stored = await inventory.find(hold.org_id, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.RELEASED
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select (select count(*) from lml.event_seats where event_id = %s and status = 'held'),"
            " (select held from lml.event_zones where event_id = %s)",
            (hold.event_id, hold.event_id),
        )
        assert await cursor.fetchone() == (0, 0)


async def test_a_sold_holds_seats_stay_locked_for_good_and_seat_sold_names_the_order_once(
    harness: Any,
) -> None:
    """Given a settled hold, when its order is paid and the sale is published twice (the
    outbox delivers at least once), then its seats stay its own past its expiry and one
    seat.sold names the order."""
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    lock = a_lock(event_id, ("A-1", "A-2"))
    await acquired(harness, lock, SHORT_TTL)
    await harness.orders.settle(lock, TOKEN)

    assert await harness.orders.sell(lock, "ord_1") == Sold()
    assert await harness.orders.sell(lock, "ord_1") == Sold()
    await harness.let_pass(SHORT_TTL)

    assert await harness.live.holders(event_id, ["A-1", "A-2"]) == {
        "A-1": lock.id,
        "A-2": lock.id,
    }
    sold = [e for e in await harness.events.since(event_id) if e.type == "seat.sold"]
    assert [msgspec.json.decode(e.data) for e in sold] == [
        {
            "event_id": event_id,
            "order_id": "ord_1",
            "seat_ids": ["A-1", "A-2"],
            "ga": [],
            "sales_channel_id": None,
        }
    ]
    assert await harness.orders.cancel(lock) == LockRefused("ended")


async def test_given_a_sold_holds_lapsed_seat_taken_by_another_hold_then_the_sale_takes_it_back(
    harness: Any,
) -> None:
    """Given a hold whose settling came too late (its lock lapsed, and another hold took the
    seat here, which PostgreSQL will refuse), when its sale is applied, then the seat is
    the sold hold's for good, and the other hold's rollback leaves it so."""
    event_id = f"evt_{uuid.uuid4().hex[:12]}"
    lock = a_lock(event_id, ("A-1", "A-2"))
    await acquired(harness, lock, SHORT_TTL)
    await harness.let_pass(SHORT_TTL)
    intruder = a_lock(event_id, ("A-1",))
    await acquired(harness, intruder, 60)

    assert await harness.orders.sell(lock, "ord_1") == Sold()
    await harness.locks.rollback(intruder, TOKEN)

    assert await harness.live.holders(event_id, ["A-1", "A-2"]) == {
        "A-1": lock.id,
        "A-2": lock.id,
    }


@pytest.mark.integration
async def test_a_converted_hold_is_sold_once_seats_sold_and_places_moved_from_held_to_sold(
    app_pool: AppPool, seed: Callable[..., Awaitable[None]], migrated_database: TemporaryDatabase
) -> None:
    """Given a converted hold of two seats and two GA places, when inventory sells it twice,
    then the first sells it (seats sold, places held → sold, the event's configuration
    version up) and the second finds nothing to sell; a hold not converted is not sold."""
    hold, inventory = await seeded_hold(app_pool, seed)
    conversion = PostgresHoldConversion(app_pool)
    now = datetime.now(UTC)
    assert await conversion.sell(hold.org_id, hold.id) is None  # active, not converted
    await conversion.convert(hold.org_id, hold.id, TOKEN, now)

    sold = await conversion.sell(hold.org_id, hold.id)

    assert sold == HoldScope(**{f: getattr(hold, f) for f in HoldScope.__struct_fields__})
    assert await conversion.sell(hold.org_id, hold.id) is None
    assert await conversion.release(hold.org_id, hold.id, now) is None
    stored = await inventory.find(hold.org_id, hold.id)
    assert stored is not None
    assert stored.hold.status is HoldStatus.SOLD
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select (select array_agg(status order by seat_id) from lml.event_seats"
            "        where event_id = %s),"
            " (select array[held, sold] from lml.event_zones where event_id = %s),"
            " (select version from lml.event_inventory_versions where event_id = %s) > 0",
            (hold.event_id, hold.event_id, hold.event_id),
        )
        assert await cursor.fetchone() == (["sold", "sold", "available"], [0, 2], True)
