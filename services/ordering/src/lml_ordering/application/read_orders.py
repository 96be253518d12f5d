"""Use cases: one order, and a page of an organisation's orders, oldest first."""

from __future__ import annotations

import msgspec

from lml_ordering.application.ports import OrderQuery, OrderWorkFactory
from lml_ordering.domain import (
    Cursor,
    InvalidCursor,
    Order,
    OrderNotFound,
    OrderStatus,
    decode_cursor,
    encode_cursor,
)
from lml_result import Err, Ok, Result


class OrderPage(msgspec.Struct, frozen=True):
    items: tuple[Order, ...]
    next_cursor: str | None


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
    after: Cursor | None = None
    if cursor is not None:
        decoded = decode_cursor(cursor)
        if isinstance(decoded, Err):
            return decoded
        after = decoded.value
    query = OrderQuery(
        org_id=org_id, status=status, event_id=event_id, after=after, limit=limit + 1
    )
    async with work(org_id) as unit:
        # One more than the page holds: it says whether more follow.
        fetched = await unit.orders.page(query)
    items = tuple(fetched[:limit])
    more = len(fetched) > limit
    next_cursor = encode_cursor(_key(items[-1])) if more else None
    return Ok(OrderPage(items, next_cursor))


def _key(order: Order) -> Cursor:
    return Cursor(order.created_at, order.id)
