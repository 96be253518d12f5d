"""An event's prices as catalog publishes them: ``lml.event_prices`` (migrations/0010)."""

from __future__ import annotations

from lml_ordering.domain import PriceList
from lml_tenancy import TenantScope, in_tenant

PRICES = "select currency, amounts from lml.event_prices where event_id = %s"


class PostgresPrices:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def of_event(self, org_id: str, event_id: str) -> PriceList | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(PRICES, (event_id,))
            row = await cursor.fetchone()
        if row is None:
            return None
        currency, amounts = row
        return PriceList(currency=currency, amounts={k: int(v) for k, v in amounts.items()})
