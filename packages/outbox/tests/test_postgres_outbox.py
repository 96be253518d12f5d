"""The outbox on an ordinary (non-superuser) owner, as on managed PostgreSQL: rows written
in a tenant's transaction are claimed across organisations, leased, completed once,
retried later and dead-lettered after their attempts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lml_identity.domain import Organisation
from lml_identity.infrastructure import PostgresOrganisations
from lml_outbox import PostgresOutbox, enqueue, retry_delay
from lml_tenancy import TenantUnitOfWork, tenant_unit_of_work
from lml_testing.databases import OrdinaryOwnerDatabase, ordinary_owner_database
from lml_testing.ids import unique_id

pytestmark = pytest.mark.integration

LEASE = timedelta(seconds=60)


@pytest.fixture
async def database(postgres_admin_url: str, tmp_path: Path) -> AsyncIterator[OrdinaryOwnerDatabase]:
    # Its own database: a claim reads every organisation's rows.
    async with ordinary_owner_database(postgres_admin_url, tmp_path) as created:
        yield created


async def organisation(database: OrdinaryOwnerDatabase) -> str:
    org = unique_id("org")
    await PostgresOrganisations(database.app_pool).add(Organisation(id=org, name="Org"))
    return org


async def test_given_rows_of_two_organisations_when_claimed_then_each_is_leased_once(
    database: OrdinaryOwnerDatabase,
) -> None:
    first, second = await organisation(database), await organisation(database)
    await enqueue(database.app_pool, first, "stripe.event", {"n": 1})
    await enqueue(database.app_pool, second, "stripe.event", {"n": 2})
    outbox = PostgresOutbox(database.app_pool)

    claimed = await outbox.claim(10, LEASE)
    again = await outbox.claim(10, LEASE)

    assert sorted((m.org_id, m.payload["n"], m.attempts) for m in claimed) == sorted(
        [(first, 1, 1), (second, 2, 1)]
    )
    assert again == []


async def test_given_an_uncommitted_enqueue_then_nothing_is_due(
    database: OrdinaryOwnerDatabase,
) -> None:
    org = await organisation(database)
    async with tenant_unit_of_work(database.app_pool, org) as unit:
        await enqueue(unit, org, "stripe.event", {})

    assert await PostgresOutbox(database.app_pool).claim(10, LEASE) == []


async def test_given_a_dead_worker_s_row_when_its_lease_ends_then_it_is_claimed_again(
    database: OrdinaryOwnerDatabase,
) -> None:
    org = await organisation(database)
    await enqueue(database.app_pool, org, "stripe.event", {})
    outbox = PostgresOutbox(database.app_pool)
    await outbox.claim(10, timedelta(0))

    reclaimed = await outbox.claim(10, LEASE)

    assert [m.attempts for m in reclaimed] == [2]


async def test_given_two_workers_holding_one_row_then_only_one_completes_it(
    database: OrdinaryOwnerDatabase,
) -> None:
    org = await organisation(database)
    await enqueue(database.app_pool, org, "stripe.event", {})
    outbox = PostgresOutbox(database.app_pool)
    [first] = await outbox.claim(10, timedelta(0))
    [second] = await outbox.claim(10, LEASE)

    applied: list[int] = []

    async def effect(unit: TenantUnitOfWork) -> None:
        applied.append(len(applied))

    assert await outbox.apply_once(first, effect) is True
    assert await outbox.apply_once(second, effect) is False
    assert applied == [0]
    assert await outbox.lag_seconds() == 0.0


async def test_given_an_effect_that_fails_then_the_row_stays_due_and_nothing_is_kept(
    database: OrdinaryOwnerDatabase,
) -> None:
    org = await organisation(database)
    await enqueue(database.app_pool, org, "stripe.event", {})
    outbox = PostgresOutbox(database.app_pool)
    [message] = await outbox.claim(10, timedelta(0))

    async def failing(unit: TenantUnitOfWork) -> None:
        await enqueue(unit, org, "follow.up", {})
        raise RuntimeError("the effect failed")

    with pytest.raises(RuntimeError):
        await outbox.apply_once(message, failing)

    assert [m.topic for m in await outbox.claim(10, LEASE)] == ["stripe.event"]


async def test_given_a_failed_row_then_it_waits_for_its_retry_and_dies_when_told(
    database: OrdinaryOwnerDatabase,
) -> None:
    org = await organisation(database)
    await enqueue(database.app_pool, org, "stripe.event", {"n": 1})
    outbox = PostgresOutbox(database.app_pool)
    [message] = await outbox.claim(10, LEASE)

    await outbox.fail(message, "boom", datetime.now(UTC) + timedelta(hours=1))
    assert await outbox.claim(10, LEASE) == []
    assert await outbox.lag_seconds() > 0

    await outbox.fail(message, "boom again", None)
    [dead] = await outbox.dead(10)
    assert (dead.id, dead.last_error, dead.attempts) == (message.id, "boom again", 1)

    assert await outbox.retry(message.id) is True
    assert await outbox.retry(message.id) is False
    [revived] = await outbox.claim(10, LEASE)
    assert (revived.id, revived.attempts) == (message.id, 1)
    assert await outbox.dead(10) == []


def test_given_more_attempts_then_each_delay_is_longer_and_capped() -> None:
    lowest = [retry_delay(n, base=1.0, cap=60.0, draw=lambda: 0.0) for n in range(1, 9)]
    highest = [retry_delay(n, base=1.0, cap=60.0, draw=lambda: 1.0) for n in range(1, 9)]

    assert lowest == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert highest == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
