"""Use cases: what a payment's outcome does to its order, applied in the caller's unit of
work (the worker's, which also marks the Stripe event done) and never committed here.

Stripe delivers at least once and in any order, so each is safe to apply again: a paid
order paid again is unchanged, a payment failed after success is only noted. A payment
that succeeds after its order ended unpaid is kept for a refund, never lost.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from lml_ordering.application.ports import OrderWork
from lml_ordering.domain import (
    AuditEntry,
    Order,
    OrderNotFound,
    OrderStatus,
    transition,
)
from lml_result import Err, Ok, Result

PAYMENTS = "system:payments"


class Paid(msgspec.Struct, frozen=True):
    """The order is paid now; its hold's places are sold."""

    order: Order


class AlreadyPaid(msgspec.Struct, frozen=True):
    """Paid (or refunded) before: a replay, nothing changed."""

    order: Order


class PaidLate(msgspec.Struct, frozen=True):
    """The order had ended unpaid (expired or canceled): its payment is due a refund."""

    order: Order


class Refunded(msgspec.Struct, frozen=True):
    order: Order


class NotPaidYet(msgspec.Struct, frozen=True):
    """A refund for an order still pending: its payment's success has not been applied
    yet (delivered out of order), so the refund must wait for it."""

    order_id: str


async def pay_order(
    unit: OrderWork, org_id: str, order_id: str, *, at: datetime
) -> Result[Paid | AlreadyPaid | PaidLate, OrderNotFound]:
    """A pending order becomes ``paid`` and its hold's places are sold, in ``unit``. The
    move is guarded by the status it starts from, so against an expirer or a cancel in the
    same moment one wins; if they did, the payment came late."""
    order = await unit.orders.get(org_id, order_id)
    if order is None:
        return Err(OrderNotFound(order_id))
    if order.status is OrderStatus.PENDING:
        moved = transition(
            order, OrderStatus.PAID, actor=PAYMENTS, reason="payment succeeded", at=at
        )
        assert isinstance(moved, Ok), "pending may always become paid"
        paid, entry = moved.value
        if await unit.orders.move(paid, entry):
            await unit.holds.sell(org_id, order.hold_id, order.id)
            return Ok(Paid(paid))
        ended = await unit.orders.get(org_id, order_id)
        assert ended is not None
        order = ended
    if order.status in (OrderStatus.PAID, OrderStatus.REFUNDED):
        return Ok(AlreadyPaid(order))
    await unit.orders.note(
        org_id, _note(order, "payment succeeded after the order ended: refund due", at)
    )
    return Ok(PaidLate(order))


async def refund_order(
    unit: OrderWork, org_id: str, order_id: str, *, at: datetime
) -> Result[Refunded | AlreadyPaid | PaidLate, OrderNotFound | NotPaidYet]:
    """A paid order becomes ``refunded`` (its seats stay sold: giving places back to sale
    is the organisation's call, by a cancel of its own). A refund of an order that ended
    unpaid settles its late payment; one of a pending order waits (``NotPaidYet``)."""
    order = await unit.orders.get(org_id, order_id)
    if order is None:
        return Err(OrderNotFound(order_id))
    match order.status:
        case OrderStatus.PENDING:
            return Err(NotPaidYet(order_id))
        case OrderStatus.REFUNDED:
            return Ok(AlreadyPaid(order))
        case OrderStatus.PAID:
            moved = transition(
                order, OrderStatus.REFUNDED, actor=PAYMENTS, reason="charge refunded", at=at
            )
            assert isinstance(moved, Ok), "paid may always become refunded"
            refunded, entry = moved.value
            if not await unit.orders.move(refunded, entry):
                # Moved since the read: only a replay of this very refund can have done it.
                return Ok(AlreadyPaid(refunded))
            return Ok(Refunded(refunded))
    await unit.orders.note(org_id, _note(order, "late payment refunded", at))
    return Ok(PaidLate(order))


async def payment_in_flight(
    unit: OrderWork, org_id: str, order_id: str, *, at: datetime
) -> Result[bool, OrderNotFound]:
    """Stripe is processing the payment: a pending order does not expire meanwhile (up to
    the expirer's limit). True when that changed the order."""
    order = await unit.orders.get(org_id, order_id)
    if order is None:
        return Err(OrderNotFound(order_id))
    return Ok(await unit.orders.hold_for_payment(org_id, order_id, at))


async def payment_failed(
    unit: OrderWork, org_id: str, order_id: str, *, reason: str, at: datetime
) -> Result[Order, OrderNotFound]:
    """The attempt is noted; a pending order stays pending (the buyer may try again) and,
    no payment being in flight any more, expires at its time."""
    order = await unit.orders.get(org_id, order_id)
    if order is None:
        return Err(OrderNotFound(order_id))
    if order.status is OrderStatus.PENDING:
        await unit.orders.hold_for_payment(org_id, order_id, None)
    await unit.orders.note(org_id, _note(order, f"payment failed: {reason}", at))
    return Ok(order)


def _note(order: Order, reason: str, at: datetime) -> AuditEntry:
    return AuditEntry(
        order_id=order.id,
        from_status=order.status,
        to_status=order.status,
        actor=PAYMENTS,
        reason=reason,
        at=at,
    )
