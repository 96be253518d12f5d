"""Payments over orders: what payments needs of an order, read through ordering's ports."""

from __future__ import annotations

from lml_ordering.application import OrderWorkFactory, get_order
from lml_ordering.domain import OrderNotFound, OrderStatus
from lml_payments.domain import PayableOrder
from lml_result import Err, Ok, Result


async def payable_order(
    org_id: str, order_id: str, *, work: OrderWorkFactory
) -> Result[PayableOrder, OrderNotFound]:
    """The order's total and currency, and whether it may still be paid for; another
    organisation's order reads as none."""
    found = await get_order(org_id, order_id, work=work)
    if isinstance(found, Err):
        return found
    order = found.value
    return Ok(
        PayableOrder(
            order_id=order.id,
            amount=order.total,
            currency=order.currency,
            is_pending=order.status is OrderStatus.PENDING,
        )
    )
