"""Use cases: one order, and a page of an organisation's orders, oldest first."""

from __future__ import annotations

from lml_ordering.application.ports import OrderQuery, OrderWorkFactory
from lml_ordering.domain import (
    Cursor,
    InvalidCursor,
    Order,
    OrderNotFound,
    OrderStatus,
    Page,
    page_of,
    start_after,
)
from lml_result import Err, Ok, Result

OrderPage = Page[Order]


async def get_order(
    org_id: str, order_id: str, *, work: OrderWorkFactory
) -> Result[Order, OrderNotFound]:
    async with work(org_id) as unit:
        order = await unit.orders.get(org_id, order_id)
    return Ok(order) if order is not None else Err(OrderNotFound(order_id))


async def list_orders(
    org_id: str,
    *,
    status: OrderStatus | None = None,
    event_id: str | None = None,
    limit: int,
    cursor: str | None,
    work: OrderWorkFactory,
) -> Result[OrderPage, InvalidCursor]:
    after = start_after(cursor)
    if isinstance(after, Err):
        return after
    query = OrderQuery(
        org_id=org_id, status=status, event_id=event_id, after=after.value, limit=limit + 1
    )
    async with work(org_id) as unit:
        # One more than the page holds: it says whether more follow.
        fetched = await unit.orders.page(query)
    return Ok(page_of(fetched, limit, _key))


def _key(order: Order) -> Cursor:
    return Cursor(order.created_at, order.id)
