"""``lml outbox dead`` and ``lml outbox retry``, on a database of the test's own (dead
letters are read across organisations)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import msgspec
import pytest
from click.testing import CliRunner

from lml_cli.main import cli
from lml_identity.domain import Organisation
from lml_identity.infrastructure import PostgresOrganisations
from lml_outbox import OutboxMessage, PostgresOutbox, enqueue
from lml_postgres import AppPool, create_pool
from lml_testing.databases import TemporaryDatabase
from lml_testing.ids import unique_id
from lml_testing.settings import settings_for_tests

pytestmark = pytest.mark.integration

T = TypeVar("T")


async def on_pool(database: TemporaryDatabase, action: Callable[[AppPool], Awaitable[T]]) -> T:
    pool = create_pool(settings_for_tests(database_url=database.admin_url))
    await pool.open(wait=True)
    try:
        return await action(pool)
    finally:
        await pool.close()


async def a_dead_row(pool: AppPool) -> tuple[str, OutboxMessage]:
    org = unique_id("org")
    await PostgresOrganisations(pool).add(Organisation(id=org, name="Org"))
    await enqueue(pool, org, "stripe.event", {"stripe_event_id": "evt_1"})
    outbox = PostgresOutbox(pool)
    [message] = await outbox.claim(10, timedelta(seconds=60))
    await outbox.fail(message, "RuntimeError: boom", None)
    return org, message


async def due_ids(pool: AppPool) -> list[int]:
    return [m.id for m in await PostgresOutbox(pool).claim(10, timedelta(seconds=60))]


def invoke(database: TemporaryDatabase, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, list(args), env={"LML_DATABASE_URL": database.admin_url, "LML_ENV": "test"}
    )
    return result.exit_code, result.output


def test_given_a_dead_row_then_it_is_listed_and_a_retry_makes_it_due_once(
    private_database: TemporaryDatabase,
) -> None:
    # The commands run their own event loop, so this test sets up in one of its own.
    org, message = asyncio.run(on_pool(private_database, a_dead_row))

    code, listed = invoke(private_database, "outbox", "dead")
    assert code == 0, listed
    [line] = listed.splitlines()
    letter = msgspec.json.decode(line)
    assert (letter["id"], letter["org_id"], letter["topic"], letter["last_error"]) == (
        message.id,
        org,
        "stripe.event",
        "RuntimeError: boom",
    )

    assert invoke(private_database, "outbox", "retry", str(message.id)) == (
        0,
        f"outbox row {message.id} is due again\n",
    )
    code, refused = invoke(private_database, "outbox", "retry", str(message.id))
    assert code == 1
    assert f"no dead outbox row has id {message.id}" in refused
    assert asyncio.run(on_pool(private_database, due_ids)) == [message.id]
