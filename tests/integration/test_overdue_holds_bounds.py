"""``lml.overdue_holds``, the one cross-organisation read of holds, bounds its own arguments.

The application role may call it with anything; it must never list a hold that has not
expired, nor fail or walk everything on a limit it was not meant to get. Run with an
ordinary (non-superuser) owner, as on managed PostgreSQL, where FORCE ROW LEVEL SECURITY
also filters the owner's SECURITY DEFINER function.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import psycopg
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


async def hold_expiring_in(database: OrdinaryOwnerDatabase, tenant: str, offset: str) -> str:
    """A new active hold (on a new event of ``tenant``) that expires ``now() + offset``."""
    venue, event, hold = unique_id("ven"), unique_id("evt"), unique_id("hld")
    await PostgresOrganisations(database.app_pool).add(Organisation(id=tenant, name="Org"))
    async with with_tenant(database.app_pool, tenant) as conn:
        await conn.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Hall')",
            (tenant, venue),
        )
        await conn.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold) values (%s, %s, %s, 'map', 'Concert',"
            " now() + interval '30 days',"
            " 'EUR', 10)",
            (tenant, event, venue),
        )
        await conn.execute(
            "insert into lml.holds (tenant_id, id, event_id, token_hash, created_at,"
            " expires_at, max_expires_at) values (%s, %s, %s, '\\x00', now() - interval"
            " '1 hour', now() + %s::interval, now() + interval '1 day')",
            (tenant, hold, event, offset),
        )
    return hold


async def overdue(database: OrdinaryOwnerDatabase, grace: timedelta, limit: int) -> set[str]:
    async with database.app_pool.connection() as conn:
        cursor = await conn.execute("select hold_id from lml.overdue_holds(%s, %s)", (grace, limit))
        return {row[0] for row in await cursor.fetchall()}


async def test_given_a_negative_grace_then_holds_that_have_not_expired_are_not_listed(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    expired = await hold_expiring_in(ordinary_owner, unique_id("org"), "-10 minutes")
    running = await hold_expiring_in(ordinary_owner, unique_id("org"), "10 minutes")

    listed = await overdue(ordinary_owner, timedelta(days=-1), 100)

    assert expired in listed
    assert running not in listed


async def test_given_a_negative_limit_then_nothing_is_listed_and_nothing_fails(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    await hold_expiring_in(ordinary_owner, unique_id("org"), "-10 minutes")

    assert await overdue(ordinary_owner, timedelta(0), -1) == set()


async def test_given_a_huge_limit_then_the_listing_still_works(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    expired = await hold_expiring_in(ordinary_owner, unique_id("org"), "-10 minutes")

    assert expired in await overdue(ordinary_owner, timedelta(0), 2**31 - 1)


async def test_given_an_ordinary_owner_then_the_app_role_still_reads_no_hold_directly(
    ordinary_owner: OrdinaryOwnerDatabase,
) -> None:
    await hold_expiring_in(ordinary_owner, unique_id("org"), "-10 minutes")

    async with ordinary_owner.app_pool.connection() as conn:
        cursor = await conn.execute("select count(*) from lml.holds")
        assert await cursor.fetchone() == (0,)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with ordinary_owner.app_pool.connection() as conn:
            await conn.execute(
                "create or replace function lml.overdue_holds(p_grace interval, p_limit integer)"
                " returns table (tenant_id text, event_id text, hold_id text)"
                " language sql as $$ select tenant_id, event_id, id from lml.holds $$"
            )
