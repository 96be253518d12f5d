"""The expirer's claim of due orders across organisations: ``lml.claim_due_orders``, a
security-definer function that returns ids only (migrations 0011, 0013). An order whose
payment is in flight is left alone until ``in_flight_limit`` has passed since Stripe said
so."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from lml_ordering.application.ports import DueOrder
from lml_postgres import AppPool, fetch_rows

CLAIM = "select tenant_id as org_id, order_id from lml.claim_due_orders(%s, %s)"


class PostgresDueOrders:
    def __init__(self, pool: AppPool, in_flight_limit: timedelta) -> None:
        self._pool = pool
        self._in_flight_limit = in_flight_limit

    async def claim(self, limit: int) -> Sequence[DueOrder]:
        # Across organisations, so outside a tenant scope: the function returns ids only.
        rows = await fetch_rows(self._pool, CLAIM, (limit, self._in_flight_limit))
        return [DueOrder(**row) for row in rows]
