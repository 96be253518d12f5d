"""Use cases: one order, and a page of an organisation's orders."""

from __future__ import annotations

from collections.abc import Sequence

from lml_ordering.application.ports import OrderQuery, OrderWorkFactory
from lml_ordering.domain import Order, OrderNotFound
from lml_result import Err, Ok, Result


async def get_order(
    org_id: str, order_id: str, *, work: OrderWorkFactory
) -> Result[Order, OrderNotFound]:
    async with work(org_id) as unit:
        order = await unit.orders.get(org_id, order_id)
    return Ok(order) if order is not None else Err(OrderNotFound(order_id))


async def list_orders(query: OrderQuery, *, work: OrderWorkFactory) -> Sequence[Order]:
    async with work(query.org_id) as unit:
        return await unit.orders.page(query)
