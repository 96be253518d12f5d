"""The expirer's claim of due orders across organisations: ``lml.claim_due_orders``, a
security-definer function that returns ids only (migration 0011)."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg.rows import dict_row

from lml_ordering.application.ports import DueOrder
from lml_postgres import AppPool, postgres_faults

CLAIM = "select tenant_id as org_id, order_id from lml.claim_due_orders(%s)"


class PostgresDueOrders:
    def __init__(self, pool: AppPool) -> None:
        self._pool = pool

    async def claim(self, limit: int) -> Sequence[DueOrder]:
        # Across organisations, so outside a tenant scope: the function returns ids only.
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = conn.cursor(row_factory=dict_row)
                await cursor.execute(CLAIM, (limit,))
                rows = await cursor.fetchall()
        return [DueOrder(**row) for row in rows]
