"""What a payment's outcome does to its order, with the fakes: Stripe delivers at least once
and in any order, so every outcome is safe to apply again and in any sequence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lml_ordering.application import (
    PAYMENTS,
    AlreadyPaid,
    CancelOrder,
    NotPaidYet,
    Paid,
    PaidLate,
    PlaceOrder,
    Refunded,
    cancel_order,
    pay_order,
    payment_failed,
    payment_in_flight,
    place_order,
    refund_order,
)
from lml_ordering.domain import (
    Buyer,
    OrderNotFound,
    OrderStatus,
    PriceList,
    Reservation,
    ReservedSeat,
)
from lml_ordering.fakes import FakeHold, InMemoryOrderWork, ManualClock, SequentialOrderIds
from lml_result import Err, Ok


async def placed(work: InMemoryOrderWork, clock: ManualClock) -> str:
    work.prices.events["org_1", "evt_1"] = PriceList(currency="EUR", amounts={"A": 5000})
    work.holds.add(
        FakeHold(
            org_id="org_1",
            token="tok",
            expires_at=clock.now() + timedelta(minutes=5),
            reservation=Reservation(
                hold_id="hld_1",
                event_id="evt_1",
                seats=(ReservedSeat(seat_id="A-1", price_category="A"),),
                zones=(),
            ),
        )
    )
    outcome = await place_order(
        PlaceOrder(
            org_id="org_1",
            actor="client:c1",
            hold_id="hld_1",
            hold_token="tok",
            buyer=Buyer(email="ada@example.com", name="Ada"),
        ),
        work=work,
        ids=SequentialOrderIds(),
        clock=clock,
        ttl_seconds=900,
    )
    assert isinstance(outcome, Ok)
    return outcome.value.id


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def work() -> InMemoryOrderWork:
    return InMemoryOrderWork()


async def test_given_a_pending_order_when_its_payment_succeeds_twice_then_it_is_paid_and_sold_once(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    order_id = await placed(work, clock)

    async with work("org_1") as unit:
        first = await pay_order(unit, "org_1", order_id, at=clock.now())
        again = await pay_order(unit, "org_1", order_id, at=clock.now())
        await unit.commit()

    assert isinstance(first, Ok)
    assert isinstance(first.value, Paid)
    assert isinstance(again, Ok)
    assert isinstance(again.value, AlreadyPaid)
    assert work.orders.orders[order_id].status is OrderStatus.PAID
    assert work.holds.sold == [("hld_1", order_id)]
    last = work.orders.audit[-1]
    assert (last.from_status, last.to_status, last.actor) == (
        OrderStatus.PENDING,
        OrderStatus.PAID,
        PAYMENTS,
    )
    assert len(work.orders.audit) == 2


async def test_given_a_canceled_order_when_its_payment_succeeds_then_it_is_flagged_for_refund(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    order_id = await placed(work, clock)
    await cancel_order(
        CancelOrder(org_id="org_1", actor="usr_1", order_id=order_id), work=work, clock=clock
    )

    async with work("org_1") as unit:
        outcome = await pay_order(unit, "org_1", order_id, at=clock.now())
        await unit.commit()

    assert isinstance(outcome, Ok)
    assert isinstance(outcome.value, PaidLate)
    assert work.orders.orders[order_id].status is OrderStatus.CANCELED
    assert work.holds.sold == []
    last = work.orders.audit[-1]
    assert (last.from_status, last.to_status) == (OrderStatus.CANCELED, OrderStatus.CANCELED)
    assert "refund due" in last.reason


async def test_given_an_unknown_order_then_every_outcome_says_so(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    async with work("org_1") as unit:
        outcomes = [
            await pay_order(unit, "org_1", "ord_x", at=clock.now()),
            await refund_order(unit, "org_1", "ord_x", at=clock.now()),
            await payment_in_flight(unit, "org_1", "ord_x", at=clock.now()),
            await payment_failed(unit, "org_1", "ord_x", reason="declined", at=clock.now()),
        ]

    assert outcomes == [Err(OrderNotFound("ord_x"))] * 4


async def test_given_a_refund_before_the_payment_then_it_waits_and_after_it_refunds_once(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    order_id = await placed(work, clock)

    async with work("org_1") as unit:
        early = await refund_order(unit, "org_1", order_id, at=clock.now())
        await pay_order(unit, "org_1", order_id, at=clock.now())
        refunded = await refund_order(unit, "org_1", order_id, at=clock.now())
        again = await refund_order(unit, "org_1", order_id, at=clock.now())
        await unit.commit()

    assert early == Err(NotPaidYet(order_id))
    assert isinstance(refunded, Ok)
    assert isinstance(refunded.value, Refunded)
    assert isinstance(again, Ok)
    assert isinstance(again.value, AlreadyPaid)
    assert work.orders.orders[order_id].status is OrderStatus.REFUNDED


async def test_given_a_payment_in_flight_that_then_fails_then_the_order_may_expire_again(
    work: InMemoryOrderWork, clock: ManualClock
) -> None:
    order_id = await placed(work, clock)

    async with work("org_1") as unit:
        in_flight = await payment_in_flight(unit, "org_1", order_id, at=clock.now())
        held = dict(work.orders.payments_in_flight)
        await payment_failed(unit, "org_1", order_id, reason="card declined", at=clock.now())
        await unit.commit()

    assert in_flight == Ok(True)
    assert held == {order_id: clock.now()}
    assert work.orders.payments_in_flight == {}
    assert work.orders.orders[order_id].status is OrderStatus.PENDING
    assert work.orders.audit[-1].reason == "payment failed: card declined"


OUTCOMES = st.sampled_from(["succeeded", "processing", "failed"])


@given(before=st.lists(OUTCOMES, max_size=4), after=st.lists(OUTCOMES, max_size=4))
async def test_given_any_order_of_deliveries_with_a_success_then_the_order_ends_paid_and_sold_once(
    before: list[str], after: list[str]
) -> None:
    """Whatever arrives before and after the success, duplicates included (processing after
    success, failed then succeeded...), the order ends paid and its hold is sold once."""
    work, clock = InMemoryOrderWork(), ManualClock()
    order_id = await placed(work, clock)

    async with work("org_1") as unit:
        for outcome in [*before, "succeeded", *after]:
            match outcome:
                case "succeeded":
                    await pay_order(unit, "org_1", order_id, at=clock.now())
                case "processing":
                    await payment_in_flight(unit, "org_1", order_id, at=clock.now())
                case "failed":
                    await payment_failed(unit, "org_1", order_id, reason="x", at=clock.now())
        await unit.commit()

    assert work.orders.orders[order_id].status is OrderStatus.PAID
    assert work.holds.sold == [("hld_1", order_id)]
