"""The order status machine: pending -> paid | expired | canceled, paid -> refunded, only."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from lml_ordering.domain import (
    Buyer,
    Order,
    OrderStatus,
    TransitionRefused,
    may_move,
    transition,
)
from lml_result import Err, Ok

ALLOWED = {
    (OrderStatus.PENDING, OrderStatus.PAID),
    (OrderStatus.PENDING, OrderStatus.EXPIRED),
    (OrderStatus.PENDING, OrderStatus.CANCELED),
    (OrderStatus.PAID, OrderStatus.REFUNDED),
}
AT = datetime(2027, 1, 1, tzinfo=UTC)
statuses = st.sampled_from(OrderStatus)


def an_order(status: OrderStatus) -> Order:
    return Order(
        id="ord_1",
        org_id="org_1",
        event_id="evt_1",
        hold_id="hld_1",
        status=status,
        buyer=Buyer(email="a@example.com", name="A"),
        lines=(),
        currency="EUR",
        expires_at=AT,
        created_at=AT,
    )


@given(statuses, statuses)
def test_only_the_four_moves_exist(current: OrderStatus, target: OrderStatus) -> None:
    assert may_move(current, target) is ((current, target) in ALLOWED)


@given(statuses, statuses)
def test_a_move_is_made_and_audited_or_refused_unchanged(
    current: OrderStatus, target: OrderStatus
) -> None:
    order = an_order(current)

    outcome = transition(order, target, actor="user:u1", reason="test", at=AT)

    if (current, target) in ALLOWED:
        assert isinstance(outcome, Ok)
        moved, entry = outcome.value
        assert moved.status is target
        assert (entry.from_status, entry.to_status, entry.actor) == (current, target, "user:u1")
    else:
        assert outcome == Err(TransitionRefused("ord_1", current, target))
        assert order.status is current


@given(st.lists(statuses, max_size=8))
def test_any_walk_from_pending_stays_on_the_machine(targets: list[OrderStatus]) -> None:
    order = an_order(OrderStatus.PENDING)
    path = [order.status]
    for target in targets:
        outcome = transition(order, target, actor="system", reason="walk", at=AT)
        if isinstance(outcome, Ok):
            order = outcome.value[0]
            path.append(order.status)

    assert all((a, b) in ALLOWED for a, b in itertools.pairwise(path))
    assert len(path) <= 3
