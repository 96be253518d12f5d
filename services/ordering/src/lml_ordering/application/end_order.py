"""Use cases: a pending order ends unpaid, canceled by its organisation or expired by the
worker; either way its seats and places are free again, through one path."""

from __future__ import annotations

from dataclasses import dataclass

from lml_ordering.application.ports import Clock, DueOrders, OrderWorkFactory
from lml_ordering.domain import Order, OrderNotFound, OrderStatus, TransitionRefused, transition
from lml_result import Err, Ok, Result

EXPIRER = "system:order-expirer"


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelOrder:
    org_id: str
    actor: str
    order_id: str
    reason: str = "canceled by the organisation"


async def end_order(
    org_id: str,
    order_id: str,
    target: OrderStatus,
    *,
    actor: str,
    reason: str,
    work: OrderWorkFactory,
    clock: Clock,
) -> Result[Order, OrderNotFound | TransitionRefused]:
    """The order's move to ``target`` (``canceled`` or ``expired``), its audit entry and the
    release of its hold's places commit together; then the lock store frees the locks and
    publishes ``seat.released`` (``reason: order_canceled`` or ``order_expired``). The move
    is guarded by the status it starts from: of concurrent ends, one wins."""
    now = clock.now()
    async with work(org_id) as unit:
        order = await unit.orders.get(org_id, order_id)
        if order is None:
            return Err(OrderNotFound(order_id))
        moved = transition(order, target, actor=actor, reason=reason, at=now)
        if isinstance(moved, Err):
            return moved
        ended, entry = moved.value
        if not await unit.orders.move(ended, entry):
            # Another transition committed since the read: answer with the status it left.
            current = await unit.orders.get(org_id, order_id)
            assert current is not None
            return Err(TransitionRefused(order.id, current.status, target))
        released = await unit.holds.release(org_id, order.hold_id, now, target)
        await unit.commit()
        if released:
            await unit.holds.after_release(order.hold_id, target)
    return Ok(ended)


async def cancel_order(
    cmd: CancelOrder, *, work: OrderWorkFactory, clock: Clock
) -> Result[Order, OrderNotFound | TransitionRefused]:
    """A pending order is canceled: ``seat.released`` says ``order_canceled``."""
    return await end_order(
        cmd.org_id,
        cmd.order_id,
        OrderStatus.CANCELED,
        actor=cmd.actor,
        reason=cmd.reason,
        work=work,
        clock=clock,
    )


async def expire_due_orders(
    *, due: DueOrders, work: OrderWorkFactory, clock: Clock, limit: int
) -> int:
    """Pending orders past their ``expires_at``, across organisations, become ``expired``
    (``seat.released`` says ``order_expired``), each in its organisation's unit of work.
    Any number of expirers may run: the guarded move expires each order once, and an order
    canceled or paid meanwhile stays so. Returns how many were claimed (``limit`` at most)."""
    claimed = await due.claim(limit)
    for item in claimed:
        await end_order(
            item.org_id,
            item.order_id,
            OrderStatus.EXPIRED,
            actor=EXPIRER,
            reason="expired",
            work=work,
            clock=clock,
        )
    return len(claimed)
