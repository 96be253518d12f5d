"""Orders: ``POST /v1/orders``, ``GET /v1/orders``, ``GET /v1/orders/{order_id}``.

A hold becomes a pending order, all or nothing, in one PostgreSQL transaction across
ordering and seating (``lml_sales.order_work``); the order keeps the hold's seats until it is
paid, canceled or expires.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap
from lml_api.routes.paging import DEFAULT_LIMIT, Limit, PageCursor
from lml_api.routes.responses import created_response
from lml_auth import Principal, Scope
from lml_ordering.application import (
    CancelOrder,
    PlaceOrder,
    cancel_order,
    get_order,
    list_orders,
    place_order,
)
from lml_ordering.domain import Buyer, Order, OrderStatus
from lml_seating.domain import rfc3339

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
StatusName = Literal["pending", "paid", "expired", "canceled", "refunded"]


class BuyerIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email
    name: Name


class NewOrder(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hold_id: Id
    hold_token: str | None
    buyer: BuyerIn


class LineOut(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A seat (``seat_id``) or one GA place (``zone_id``), in minor units."""

    seat_id: str | None = None
    zone_id: str | None = None
    price_category: str
    amount: int


class BuyerOut(msgspec.Struct, frozen=True):
    email: str
    name: str


class OrderOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    event_id: str
    hold_id: str
    status: str
    buyer: BuyerOut
    lines: list[LineOut]
    total: int
    currency: str
    expires_at: str
    created_at: str


class OrderPageOut(msgspec.Struct, frozen=True):
    items: list[OrderOut]
    next_cursor: str | None


def order_out(order: Order) -> OrderOut:
    return OrderOut(
        id=order.id,
        event_id=order.event_id,
        hold_id=order.hold_id,
        status=order.status.value,
        buyer=BuyerOut(order.buyer.email, order.buyer.name),
        lines=[
            LineOut(
                seat_id=line.seat_id,
                zone_id=line.zone_id,
                price_category=line.price_category,
                amount=line.amount,
            )
            for line in order.lines
        ],
        total=order.total,
        currency=order.currency,
        expires_at=rfc3339(order.expires_at),
        created_at=rfc3339(order.created_at),
    )


@post(
    "/v1/orders",
    summary="Turn a hold into a pending order",
    description=(
        "All or nothing: the hold's seats and places become the order's, priced from the"
        " event's price categories. Wrong or missing hold token 412 `precondition-failed`;"
        " an expired or released hold 409 `hold-expired`; a hold already ordered 409"
        " `hold-converted`; another organisation's hold 404."
    ),
    opt=requires(Scope.ORDERS_WRITE),
)
async def create_order(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    data: JSONBody[NewOrder],
) -> Response[OrderOut]:
    ordering = container.ordering
    order = unwrap(
        await place_order(
            PlaceOrder(
                org_id=principal.org_id,
                actor=principal.subject,
                hold_id=data.hold_id,
                hold_token=data.hold_token,
                buyer=Buyer(email=data.buyer.email, name=data.buyer.name),
            ),
            work=ordering.work,
            ids=ordering.ids,
            clock=ordering.clock,
            ttl_seconds=ordering.ttl_seconds,
        )
    )
    return created_response(order_out(order), f"/v1/orders/{order.id}")


@get(
    "/v1/orders/{order_id:str}",
    summary="An order of the caller's organisation",
    opt=requires(Scope.ORDERS_READ),
)
async def read_order(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    order_id: FromPath[str],
) -> OrderOut:
    order = unwrap(await get_order(principal.org_id, order_id, work=container.ordering.work))
    return order_out(order)


@get(
    "/v1/orders",
    summary="The organisation's orders, oldest first, by status and event",
    opt=requires(Scope.ORDERS_READ),
)
async def list_orders_route(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    status: Annotated[StatusName | None, QueryParameter(description="Only this status.")] = None,
    event_id: Annotated[str | None, QueryParameter(description="Only this event's.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> OrderPageOut:
    page = unwrap(
        await list_orders(
            principal.org_id,
            status=None if status is None else OrderStatus(status),
            event_id=event_id,
            limit=limit,
            cursor=cursor,
            work=container.ordering.work,
        )
    )
    return OrderPageOut([order_out(o) for o in page.items], page.next_cursor)


@post(
    "/v1/orders/{order_id:str}/cancel",
    summary="Cancel a pending order; its seats and places are free again",
    description=(
        "Watchers see `seat.released` with `reason: order_canceled`. An order that is not"
        " pending is 409 `order-status-conflict`."
    ),
    status_code=200,
    opt=requires(Scope.ORDERS_WRITE),
)
async def cancel_order_route(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    order_id: FromPath[str],
) -> OrderOut:
    ordering = container.ordering
    order = unwrap(
        await cancel_order(
            CancelOrder(org_id=principal.org_id, actor=principal.subject, order_id=order_id),
            work=ordering.work,
            clock=ordering.clock,
        )
    )
    return order_out(order)


ROUTES = [create_order, read_order, list_orders_route, cancel_order_route]
