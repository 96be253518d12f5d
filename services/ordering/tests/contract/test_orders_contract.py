"""The ``Orders`` and ``Prices`` ports, against the fakes and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from lml_ordering.application import OrderQuery, Orders
from lml_ordering.domain import (
    AuditEntry,
    Buyer,
    Cursor,
    Order,
    OrderLine,
    OrderStatus,
    PriceList,
)
from lml_ordering.fakes import FakePrices, InMemoryOrders
from lml_ordering.infrastructure import PostgresOrders, PostgresPrices
from lml_postgres import AppPool
from lml_tenancy import tenant_unit_of_work
from lml_testing.databases import TemporaryDatabase
from lml_testing.seed import seed_event

T0 = datetime(2027, 3, 1, 12, tzinfo=UTC)


class World:
    def __init__(self, orders: Orders, admin_url: str | None) -> None:
        self.orders = orders
        self.admin_url = admin_url
        self.org_id = f"org_{uuid.uuid4().hex[:8]}"
        self.events = [f"evt_{uuid.uuid4().hex[:8]}" for _ in range(2)]

    async def seed(self) -> None:
        if self.admin_url is not None:
            for event in self.events:
                await seed_event(self.admin_url, self.org_id, event, ["A-1"], {"floor": 5})


@pytest.fixture(
    params=[pytest.param("memory"), pytest.param("postgres", marks=pytest.mark.integration)]
)
def world(request: pytest.FixtureRequest) -> World:
    """Its events exist once ``await world.seed()`` ran (an async fixture cannot choose
    its async fixtures by parameter)."""
    if request.param == "memory":
        return World(InMemoryOrders(), None)
    pool: AppPool = request.getfixturevalue("app_pool")
    database: TemporaryDatabase = request.getfixturevalue("migrated_database")
    return World(PostgresOrders(pool), database.admin_url)


def an_order(
    world: World, n: int, *, event: int = 0, status: OrderStatus = OrderStatus.PENDING
) -> Order:
    return Order(
        id=f"ord_{uuid.uuid4().hex[:8]}",
        org_id=world.org_id,
        event_id=world.events[event],
        hold_id=f"hld_{uuid.uuid4().hex[:8]}",
        status=status,
        buyer=Buyer(email="ada@example.com", name="Ada"),
        lines=(
            OrderLine(seat_id="A-1", price_category="standard", amount=4500),
            OrderLine(zone_id="floor", price_category="standard", amount=2000),
        ),
        currency="EUR",
        expires_at=T0 + timedelta(minutes=15 + n),
        created_at=T0 + timedelta(seconds=n),
    )


def created(order: Order) -> AuditEntry:
    return AuditEntry(
        order_id=order.id,
        from_status=None,
        to_status=order.status,
        actor="usr_1",
        reason="placed from hold",
        at=order.created_at,
    )


async def test_an_order_is_read_back_with_its_lines_in_order(world: World) -> None:
    await world.seed()
    order = an_order(world, 0)

    await world.orders.add(order, created(order))

    assert await world.orders.get(world.org_id, order.id) == order
    assert await world.orders.get(world.org_id, "ord_missing") is None


async def test_another_organisation_never_sees_an_order(world: World) -> None:
    await world.seed()
    order = an_order(world, 0)
    await world.orders.add(order, created(order))

    assert await world.orders.get("org_other", order.id) is None
    assert await world.orders.page(OrderQuery(org_id="org_other")) == []


async def test_pages_follow_creation_order_after_the_cursor_and_filter(world: World) -> None:
    await world.seed()
    orders = [an_order(world, n, event=n % 2) for n in range(4)]
    for order in orders:
        await world.orders.add(order, created(order))

    first = await world.orders.page(OrderQuery(org_id=world.org_id, limit=2))
    rest = await world.orders.page(
        OrderQuery(org_id=world.org_id, after=Cursor(first[-1].created_at, first[-1].id))
    )
    by_event = await world.orders.page(OrderQuery(org_id=world.org_id, event_id=world.events[1]))
    paid = await world.orders.page(OrderQuery(org_id=world.org_id, status=OrderStatus.PAID))

    assert [o.id for o in first] + [o.id for o in rest] == [o.id for o in orders]
    assert [o.id for o in by_event] == [orders[1].id, orders[3].id]
    assert paid == []


@pytest.mark.integration
async def test_postgres_writes_the_audit_entry_and_total_in_the_units_transaction(
    app_pool: AppPool, migrated_database: TemporaryDatabase
) -> None:
    world = World(PostgresOrders(app_pool), migrated_database.admin_url)
    await world.seed()
    kept, dropped = an_order(world, 0), an_order(world, 1)

    async with tenant_unit_of_work(app_pool, world.org_id) as unit:
        await PostgresOrders(unit).add(kept, created(kept))
        await unit.commit()
    async with tenant_unit_of_work(app_pool, world.org_id) as unit:
        await PostgresOrders(unit).add(dropped, created(dropped))  # never committed

    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select o.id, o.total_amount, a.from_status, a.to_status, a.actor, a.reason"
            " from lml.orders o join lml.order_audit_log a on a.order_id = o.id"
            " where o.tenant_id = %s",
            (world.org_id,),
        )
        rows = await cursor.fetchall()
    assert rows == [(kept.id, 6500, None, "pending", "usr_1", "placed from hold")]


@pytest.mark.integration
async def test_postgres_prices_are_the_events_categories_in_minor_units(
    app_pool: AppPool, migrated_database: TemporaryDatabase
) -> None:
    org, event = f"org_{uuid.uuid4().hex[:8]}", f"evt_{uuid.uuid4().hex[:8]}"
    await seed_event(
        migrated_database.admin_url, org, event, ["A-1"], {}, prices={"standard": 4500, "vip": 9900}
    )
    prices = PostgresPrices(app_pool)

    assert await prices.of_event(org, event) == PriceList(
        currency="EUR", amounts={"standard": 4500, "vip": 9900}
    )
    assert await prices.of_event("org_other", event) is None
    assert await FakePrices().of_event(org, event) is None
