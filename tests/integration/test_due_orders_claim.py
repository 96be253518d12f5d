"""``lml.claim_due_orders``, the order expirer's one read across organisations, on an
ordinary (non-superuser) owner, as on managed PostgreSQL, where FORCE ROW LEVEL SECURITY
also filters the owner's SECURITY DEFINER function: it must still find every
organisation's due orders, and bound its own limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lml_identity.domain import Organisation
from lml_identity.infrastructure import PostgresOrganisations
from lml_tenancy import with_tenant
from lml_testing.databases import OrdinaryOwnerDatabase, ordinary_owner_database
from lml_testing.ids import unique_id

pytestmark = pytest.mark.integration


@pytest.fixture
async def ordinary_owner(
    postgres_admin_url: str, tmp_path: Path
) -> AsyncIterator[OrdinaryOwnerDatabase]:
    async with ordinary_owner_database(postgres_admin_url, tmp_path) as database:
        yield database


async def order_expiring_in(
    database: OrdinaryOwnerDatabase,
    tenant: str,
    offset: str,
    status: str = "pending",
    in_flight_for: str | None = None,
) -> str:
    """A new order (on a new event of ``tenant``) that expires ``now() + offset``, its
    payment in flight for ``in_flight_for`` when given."""
    venue, event, order = unique_id("ven"), unique_id("evt"), unique_id("ord")
    await PostgresOrganisations(database.app_pool).add(Organisation(id=tenant, name="Org"))
    async with with_tenant(database.app_pool, tenant) as conn:
        await conn.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Hall')",
            (tenant, venue),
        )
        await conn.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold) values (%s, %s, %s, 'map', 'Concert',"
            " now() + interval '30 days', 'EUR', 10)",
            (tenant, event, venue),
        )
        await conn.execute(
            "insert into lml.orders (tenant_id, id, event_id, hold_id, status, buyer_email,"
            " buyer_name, total_amount, currency, expires_at, payment_in_flight_since)"
            " values (%s, %s, %s, %s, %s, 'ada@example.com', 'Ada', 1000, 'EUR',"
            " now() + %s::interval, now() - %s::interval)",
            (tenant, order, event, unique_id("hld"), status, offset, in_flight_for),
        )
    return order


async def claimed(database: OrdinaryOwnerDatabase, limit: int) -> set[str]:
    async with database.app_pool.connection() as conn:
        cursor = await conn.execute(
            "select order_id from lml.claim_due_orders(%s, interval '1 hour')", (limit,)
        )
        return {row[0] for row in await cursor.fetchall()}


async def test_given_due_orders_of_two_organisations_then_both_are_claimed(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    first = await order_expiring_in(ordinary_owner, unique_id("org"), "-1 minute")
    second = await order_expiring_in(ordinary_owner, unique_id("org"), "-2 minutes")
    running = await order_expiring_in(ordinary_owner, unique_id("org"), "10 minutes")
    paid = await order_expiring_in(ordinary_owner, unique_id("org"), "-1 minute", "paid")

    found = await claimed(ordinary_owner, 100)

    assert {first, second} <= found
    assert running not in found
    assert paid not in found


async def test_given_payments_in_flight_then_only_orders_past_the_limit_are_claimed(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    """Given two due orders whose payments Stripe said are processing, one for ten minutes
    and one for two hours, when the expirer claims with a one-hour limit, then only the
    second is claimed: a payment in flight keeps its order, but not forever."""
    org = unique_id("org")
    in_flight = await order_expiring_in(ordinary_owner, org, "-1 minute", in_flight_for="10 min")
    stuck = await order_expiring_in(ordinary_owner, org, "-1 minute", in_flight_for="2 hours")

    found = await claimed(ordinary_owner, 100)

    assert stuck in found
    assert in_flight not in found


async def test_given_a_negative_or_huge_limit_then_the_claim_stays_bounded(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    due = await order_expiring_in(ordinary_owner, unique_id("org"), "-1 minute")

    assert await claimed(ordinary_owner, -1) == set()
    assert due in await claimed(ordinary_owner, 2**31 - 1)


async def test_given_an_ordinary_owner_then_the_app_role_still_reads_no_order_directly(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    await order_expiring_in(ordinary_owner, unique_id("org"), "-1 minute")

    async with ordinary_owner.app_pool.connection() as conn:
        cursor = await conn.execute("select count(*) from lml.orders")
        assert await cursor.fetchone() == (0,)
