"""Use case: cancel a pending order; its seats and places are free again."""

from __future__ import annotations

from dataclasses import dataclass

from lml_ordering.application.ports import Clock, OrderWorkFactory
from lml_ordering.domain import Order, OrderNotFound, OrderStatus, TransitionRefused, transition
from lml_result import Err, Ok, Result


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelOrder:
    org_id: str
    actor: str
    order_id: str
    reason: str = "canceled by the organisation"


async def cancel_order(
    cmd: CancelOrder, *, work: OrderWorkFactory, clock: Clock
) -> Result[Order, OrderNotFound | TransitionRefused]:
    """The order's move to ``canceled``, its audit entry and the release of its hold's places
    commit together; then the lock store frees the locks and publishes ``seat.released``
    (``reason: order_canceled``)."""
    now = clock.now()
    async with work(cmd.org_id) as unit:
        order = await unit.orders.get(cmd.org_id, cmd.order_id)
        if order is None:
            return Err(OrderNotFound(cmd.order_id))
        moved = transition(order, OrderStatus.CANCELED, actor=cmd.actor, reason=cmd.reason, at=now)
        if isinstance(moved, Err):
            return moved
        canceled, entry = moved.value
        if not await unit.orders.move(canceled, entry):
            # Another transition committed since the read: answer with the status it left.
            current = await unit.orders.get(cmd.org_id, cmd.order_id)
            assert current is not None
            return Err(TransitionRefused(order.id, current.status, OrderStatus.CANCELED))
        released = await unit.holds.release(cmd.org_id, order.hold_id, now)
        await unit.commit()
        if released:
            await unit.holds.after_release(order.hold_id)
    return Ok(canceled)
