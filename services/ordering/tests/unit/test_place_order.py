"""Placing an order from a hold, with the fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lml_ordering.application import (
    CancelOrder,
    OrderPage,
    PlaceOrder,
    cancel_order,
    get_order,
    list_orders,
    place_order,
)
from lml_ordering.domain import (
    Buyer,
    HoldAlreadyOrdered,
    HoldExpired,
    HoldNotFound,
    HoldTokenRefused,
    Order,
    OrderLine,
    OrderNotFound,
    OrderStatus,
    PriceList,
    Reservation,
    ReservedSeat,
    ReservedZone,
    TransitionRefused,
)
from lml_ordering.fakes import FakeHold, InMemoryOrderWork, ManualClock, SequentialOrderIds
from lml_result import Err, Ok, Result

TTL = 900
BUYER = Buyer(email="ada@example.com", name="Ada")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def work(clock: ManualClock) -> InMemoryOrderWork:
    work = InMemoryOrderWork()
    work.prices.events["org_1", "evt_1"] = PriceList(
        currency="EUR", amounts={"A": 5000, "GA": 2000}
    )
    work.holds.add(
        FakeHold(
            org_id="org_1",
            token="tok",
            expires_at=clock.now() + timedelta(minutes=5),
            reservation=Reservation(
                hold_id="hld_1",
                event_id="evt_1",
                seats=(
                    ReservedSeat(seat_id="A-2", price_category="A"),
                    ReservedSeat(seat_id="A-1", price_category="A"),
                ),
                zones=(ReservedZone(zone_id="floor", price_category="GA", quantity=2),),
            ),
        )
    )
    return work


TOKEN = "tok"


async def place(
    work: InMemoryOrderWork, clock: ManualClock, *, token: str | None = TOKEN, org: str = "org_1"
) -> Result[Order, object]:
    return await place_order(
        PlaceOrder(org_id=org, actor="client:c1", hold_id="hld_1", hold_token=token, buyer=BUYER),
        work=work,
        ids=SequentialOrderIds(),
        clock=clock,
        ttl_seconds=TTL,
    )


async def test_a_hold_becomes_a_pending_order_priced_per_place(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    outcome = await place(work, clock)

    assert isinstance(outcome, Ok)
    order = outcome.value
    assert order.status is OrderStatus.PENDING
    assert order.lines == (
        OrderLine(seat_id="A-1", price_category="A", amount=5000),
        OrderLine(seat_id="A-2", price_category="A", amount=5000),
        OrderLine(zone_id="floor", price_category="GA", amount=2000),
        OrderLine(zone_id="floor", price_category="GA", amount=2000),
    )
    assert (order.total, order.currency) == (14_000, "EUR")
    assert order.expires_at == clock.now() + timedelta(seconds=TTL)


async def test_the_order_its_audit_entry_and_the_conversion_commit_together(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    outcome = await place(work, clock)

    assert isinstance(outcome, Ok)
    assert work.commits == 1
    assert list(work.orders.orders) == [outcome.value.id]
    [entry] = work.orders.audit
    assert (entry.from_status, entry.to_status, entry.actor) == (
        None,
        OrderStatus.PENDING,
        "client:c1",
    )
    assert work.holds.holds["hld_1"].status == "converted"
    assert [r.hold_id for r in work.holds.settled] == ["hld_1"]


async def test_no_token_is_refused_before_anything_is_read(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    assert await place(work, clock, token=None) == Err(HoldTokenRefused("not_sent"))
    assert work.holds.holds["hld_1"].status == "active"


async def test_a_wrong_token_is_refused_and_nothing_is_kept(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    assert await place(work, clock, token="nope") == Err(HoldTokenRefused("wrong"))
    assert work.orders.orders == {}
    assert work.holds.settled == []


async def test_an_expired_hold_is_refused(work: InMemoryOrderWork, clock: ManualClock) -> None:
    clock.advance(300)

    assert await place(work, clock) == Err(HoldExpired("hld_1"))


async def test_another_organisations_hold_is_not_found(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    assert await place(work, clock, org="org_2") == Err(HoldNotFound("hld_1"))


async def test_a_hold_makes_at_most_one_order(work: InMemoryOrderWork, clock: ManualClock) -> None:
    assert isinstance(await place(work, clock), Ok)

    assert await place(work, clock) == Err(HoldAlreadyOrdered("hld_1"))
    assert len(work.orders.orders) == 1


async def test_orders_are_read_back_by_id_and_listed_by_filter(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    placed = await place(work, clock)
    assert isinstance(placed, Ok)

    assert await get_order("org_1", placed.value.id, work=work) == Ok(placed.value)
    assert await get_order("org_2", placed.value.id, work=work) == Err(
        OrderNotFound(placed.value.id)
    )
    pending = await list_orders(
        "org_1", status=OrderStatus.PENDING, limit=10, cursor=None, work=work
    )
    assert pending == Ok(OrderPage((placed.value,), None))
    paid = await list_orders("org_1", status=OrderStatus.PAID, limit=10, cursor=None, work=work)
    assert paid == Ok(OrderPage((), None))


async def test_a_pending_order_is_canceled_audited_and_its_places_freed_after_commit(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    placed = await place(work, clock)
    assert isinstance(placed, Ok)

    outcome = await cancel_order(
        CancelOrder(org_id="org_1", actor="usr_2", order_id=placed.value.id),
        work=work,
        clock=clock,
    )

    assert isinstance(outcome, Ok)
    assert outcome.value.status is OrderStatus.CANCELED
    assert work.orders.orders[placed.value.id].status is OrderStatus.CANCELED
    assert [(e.from_status, e.to_status, e.actor) for e in work.orders.audit][-1] == (
        OrderStatus.PENDING,
        OrderStatus.CANCELED,
        "usr_2",
    )
    assert work.holds.holds["hld_1"].status == "released"
    assert work.holds.freed == ["hld_1"]


async def test_only_a_pending_order_can_be_canceled(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    placed = await place(work, clock)
    assert isinstance(placed, Ok)
    cancel = CancelOrder(org_id="org_1", actor="usr_2", order_id=placed.value.id)
    await cancel_order(cancel, work=work, clock=clock)

    again = await cancel_order(cancel, work=work, clock=clock)

    assert again == Err(
        TransitionRefused(placed.value.id, OrderStatus.CANCELED, OrderStatus.CANCELED)
    )
    assert work.holds.freed == ["hld_1"]
    missing = CancelOrder(org_id="org_2", actor="usr_2", order_id=placed.value.id)
    assert await cancel_order(missing, work=work, clock=clock) == Err(
        OrderNotFound(placed.value.id)
    )
