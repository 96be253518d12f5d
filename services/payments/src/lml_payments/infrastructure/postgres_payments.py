"""Payments in PostgreSQL: ``lml.payments`` (payments' own), on a tenant scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from psycopg.rows import dict_row

from lml_payments.domain import Payment, PaymentStatus, RefundDue
from lml_postgres import AppPool, fetch_rows, postgres_faults
from lml_tenancy import TenantScope, in_tenant

GET = """
select tenant_id as org_id, order_id, intent_id, amount, currency, status, last_error,
       refund_due_at, refund_id
from lml.payments where order_id = %s
"""

# On a concurrent insert of the same order the conflict waits for the other transaction,
# so the select that follows sees its row.
ADD = """
insert into lml.payments (tenant_id, order_id, intent_id, amount, currency)
values (%(org_id)s, %(order_id)s, %(intent_id)s, %(amount)s, %(currency)s)
on conflict (order_id) do nothing
"""

RECORD_STATUS = """
update lml.payments set status = %s, last_error = %s, updated_at = now() where order_id = %s
"""

FLAG_REFUND_DUE = """
update lml.payments set refund_due_at = coalesce(refund_due_at, %s), updated_at = now()
where order_id = %s
"""

RECORD_REFUND = "update lml.payments set refund_id = %s, updated_at = now() where order_id = %s"

REFUNDS_DUE = """
select tenant_id as org_id, order_id, intent_id, amount, currency, refund_due_at
from lml.refunds_due(%s)
"""

OWNER_OF_INTENT = "select tenant_id, order_id from lml.payment_of_intent(%s)"


class PostgresPayments:
    """``pool`` serves the two reads across organisations (``refunds_due``,
    ``owner_of_intent``), which run outside any tenant's transaction."""

    def __init__(self, scope: TenantScope, pool: AppPool) -> None:
        self._scope = scope
        self._pool = pool

    async def get(self, org_id: str, order_id: str) -> Payment | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = conn.cursor(row_factory=dict_row)
            await cursor.execute(GET, (order_id,))
            row = await cursor.fetchone()
        return None if row is None else _payment(row)

    async def get_for_update(self, org_id: str, order_id: str) -> Payment | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = conn.cursor(row_factory=dict_row)
            await cursor.execute(GET + " for update", (order_id,))
            row = await cursor.fetchone()
        return None if row is None else _payment(row)

    async def add(self, payment: Payment) -> Payment:
        async with in_tenant(self._scope, payment.org_id) as conn:
            await conn.execute(
                ADD,
                {
                    "org_id": payment.org_id,
                    "order_id": payment.order_id,
                    "intent_id": payment.intent_id,
                    "amount": payment.amount,
                    "currency": payment.currency,
                },
            )
            cursor = conn.cursor(row_factory=dict_row)
            await cursor.execute(GET, (payment.order_id,))
            row = await cursor.fetchone()
        assert row is not None, "the payment was inserted or already there"
        return _payment(row)

    async def record_status(
        self, org_id: str, order_id: str, status: PaymentStatus, last_error: str | None = None
    ) -> bool:
        return await self._update(org_id, RECORD_STATUS, (status, last_error, order_id))

    async def flag_refund_due(self, org_id: str, order_id: str, at: datetime) -> bool:
        return await self._update(org_id, FLAG_REFUND_DUE, (at, order_id))

    async def record_refund(self, org_id: str, order_id: str, refund_id: str) -> bool:
        return await self._update(org_id, RECORD_REFUND, (refund_id, order_id))

    async def refunds_due(self, limit: int) -> Sequence[RefundDue]:
        rows = await fetch_rows(self._pool, REFUNDS_DUE, (limit,))
        return [RefundDue(**{**row, "currency": row["currency"].strip()}) for row in rows]

    async def owner_of_intent(self, intent_id: str) -> tuple[str, str] | None:
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = await conn.execute(OWNER_OF_INTENT, (intent_id,))
                row = await cursor.fetchone()
        return None if row is None else (row[0], row[1])

    async def _update(self, org_id: str, sql: str, params: tuple[object, ...]) -> bool:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount == 1


def _payment(row: dict[str, Any]) -> Payment:
    return Payment(**{**row, "currency": row["currency"].strip()})
