"""``lml orders refunds-due``, on a database of the test's own (it reads across
organisations)."""

from __future__ import annotations

import asyncio
import uuid

import msgspec
import psycopg
import pytest
from click.testing import CliRunner

from lml_cli.main import cli
from lml_testing.databases import TemporaryDatabase

pytestmark = pytest.mark.integration


async def a_late_payment(admin_url: str, refunded: bool) -> str:
    tenant, order = f"org_{uuid.uuid4().hex[:8]}", f"ord_{uuid.uuid4().hex[:8]}"
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Org')", (tenant,)
        )
        await owner.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Hall')", (tenant, tenant)
        )
        await owner.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold) values (%s, %s, %s, 'map', 'Concert',"
            " now() + interval '30 days', 'EUR', 6)",
            (tenant, tenant, tenant),
        )
        await owner.execute(
            "insert into lml.orders (tenant_id, id, event_id, hold_id, status, buyer_email,"
            " buyer_name, total_amount, currency, expires_at) values (%s, %s, %s, %s,"
            " 'expired', 'ada@example.com', 'Ada', 4500, 'EUR', now())",
            (tenant, order, tenant, order),
        )
        await owner.execute(
            "insert into lml.payments (tenant_id, order_id, intent_id, amount, currency,"
            " status, refund_due_at, refund_id) values (%s, %s, %s, 4500, 'EUR', 'succeeded',"
            " now(), %s)",
            (tenant, order, f"pi_{order}", "re_1" if refunded else None),
        )
    return order


def test_given_late_payments_then_only_those_not_refunded_are_listed(
    private_database: TemporaryDatabase,
) -> None:
    due = asyncio.run(a_late_payment(private_database.admin_url, refunded=False))
    asyncio.run(a_late_payment(private_database.admin_url, refunded=True))

    result = CliRunner().invoke(
        cli,
        ["orders", "refunds-due"],
        env={"LML_DATABASE_URL": private_database.admin_url, "LML_ENV": "test"},
    )

    assert result.exit_code == 0, result.output
    [listed] = [msgspec.json.decode(line) for line in result.stdout.splitlines()]
    assert (listed["order_id"], listed["intent_id"], listed["amount"], listed["currency"]) == (
        due,
        f"pi_{due}",
        4500,
        "EUR",
    )
