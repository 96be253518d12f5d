"""The worker's outbox job on real PostgreSQL (a database of each test's own: a claim reads
every organisation's rows): a failing row is retried after growing delays, dead after its
last attempt and brought back by a retry; a row whose worker died is reclaimed and
applied once, however many workers run."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import msgspec
import psycopg
import pytest

from lml_identity.domain import Organisation
from lml_identity.infrastructure import PostgresOrganisations
from lml_outbox import Handler, OutboxMessage, PostgresOutbox, enqueue
from lml_postgres import AppPool, create_pool
from lml_tenancy import TenantUnitOfWork
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.ids import unique_id
from lml_testing.settings import settings_for_tests
from lml_worker.outbox_processor import OutboxPolicy, drain_due, process_due

pytestmark = pytest.mark.integration

POLICY = OutboxPolicy(
    batch_size=10,
    lease=timedelta(seconds=60),
    max_attempts=4,
    backoff_base_seconds=0.2,
    backoff_max_seconds=60,
)


@pytest.fixture
async def pool(private_database: TemporaryDatabase) -> AsyncIterator[AppPool]:
    opened = create_pool(settings_for_tests(database_url=private_database.admin_url))
    await opened.open(wait=True)
    try:
        yield opened
    finally:
        await opened.close()


async def a_row(pool: AppPool, topic: str = "test.topic") -> str:
    org = unique_id("org")
    await PostgresOrganisations(pool).add(Organisation(id=org, name="Org"))
    await enqueue(pool, org, topic, {"n": 1})
    return org


async def make_due_now(database: TemporaryDatabase) -> None:
    async with await psycopg.AsyncConnection.connect(database.admin_url) as owner:
        await owner.execute("update lml.outbox set next_attempt_at = now()")


def failing(times: int, applied: list[int], outbox: PostgresOutbox) -> Handler:
    """Fails its first ``times`` calls, then applies the row once."""
    calls = 0

    async def handle(message: OutboxMessage) -> None:
        nonlocal calls
        calls += 1
        if calls <= times:
            raise RuntimeError(f"attempt {calls} failed")

        async def effect(_: TenantUnitOfWork) -> None:
            applied.append(message.id)

        await outbox.apply_once(message, effect)

    return handle


async def test_given_a_failing_handler_then_the_row_waits_longer_each_time_and_dies_at_the_last(
    pool: AppPool, private_database: TemporaryDatabase
) -> None:
    await a_row(pool)
    outbox = PostgresOutbox(pool)
    applied: list[int] = []
    handlers = {"test.topic": failing(POLICY.max_attempts, applied, outbox)}

    delays = []
    for _ in range(POLICY.max_attempts - 1):
        assert await process_due(outbox, handlers, POLICY) == 1
        [(delay,)] = await owner_rows(
            private_database.admin_url,
            "select extract(epoch from next_attempt_at - now())::float8 from lml.outbox",
        )
        delays.append(delay)
        assert await process_due(outbox, handlers, POLICY) == 0, "not due before its delay"
        await make_due_now(private_database)
    assert await process_due(outbox, handlers, POLICY) == 1

    assert delays == sorted(delays)
    assert delays[0] < delays[-1]
    [dead] = await outbox.dead(10)
    assert (dead.attempts, dead.last_error) == (4, "RuntimeError: attempt 4 failed")
    assert await process_due(outbox, handlers, POLICY) == 0, "a dead row is not claimed"

    assert await outbox.retry(dead.id)
    assert await process_due(outbox, handlers, POLICY) == 1

    assert applied == [dead.id]
    assert await outbox.dead(10) == []
    assert await owner_rows(
        private_database.admin_url, "select attempts, processed_at is not null from lml.outbox"
    ) == [(1, True)]


async def test_given_a_topic_without_handler_then_its_row_fails_and_is_kept(
    pool: AppPool, private_database: TemporaryDatabase
) -> None:
    await a_row(pool, topic="nobody.handles.this")

    await process_due(PostgresOutbox(pool), {}, POLICY)

    assert await owner_rows(
        private_database.admin_url, "select attempts, last_error from lml.outbox"
    ) == [(1, "LookupError: no handler for topic 'nobody.handles.this'")]


async def test_given_a_worker_killed_holding_a_row_then_others_reclaim_it_and_apply_it_once(
    pool: AppPool, private_database: TemporaryDatabase
) -> None:
    await a_row(pool)
    outbox = PostgresOutbox(pool)
    # The killed worker: it claimed the row (a lease that ran out since) and did nothing.
    await outbox.claim(10, timedelta(0))
    applied: list[int] = []

    async def handle(message: OutboxMessage) -> None:
        async def effect(_: TenantUnitOfWork) -> None:
            applied.append(message.id)
            await asyncio.sleep(0.05)

        await outbox.apply_once(message, effect)

    handlers: dict[str, Handler] = {"test.topic": handle}
    expired_lease = msgspec.structs.replace(POLICY, lease=timedelta(0))
    # Two workers at once, both with leases that end at once: both may hold the row.
    await asyncio.gather(
        process_due(outbox, handlers, expired_lease), process_due(outbox, handlers, expired_lease)
    )

    assert len(applied) == 1
    assert await process_due(outbox, handlers, POLICY) == 0
    assert await owner_rows(
        private_database.admin_url, "select processed_at is not null from lml.outbox"
    ) == [(True,)]


async def test_given_a_slow_row_when_drained_then_the_rows_behind_it_are_claimed_and_handled(
    pool: AppPool, private_database: TemporaryDatabase
) -> None:
    """Given two slots and six due rows, the first of which takes until the five others are
    done, when the outbox is drained, then the others are claimed and handled meanwhile (no
    batch waits for its slowest row) and every row is applied once."""
    for _ in range(6):
        await a_row(pool)
    outbox = PostgresOutbox(pool)
    others_done = asyncio.Event()
    applied: list[int] = []

    async def handle(message: OutboxMessage) -> None:
        if not applied:
            applied.append(message.id)
            await asyncio.wait_for(others_done.wait(), timeout=10)
            return
        applied.append(message.id)
        if len(applied) == 6:
            others_done.set()

    two_slots = msgspec.structs.replace(POLICY, concurrency=2)

    async def apply(message: OutboxMessage) -> None:
        await outbox.apply_once(message, lambda _: handle(message))

    assert await drain_due(outbox, {"test.topic": apply}, two_slots) == 6

    assert len(set(applied)) == len(applied) == 6
    assert await owner_rows(
        private_database.admin_url, "select count(*) from lml.outbox where processed_at is null"
    ) == [(0,)]
