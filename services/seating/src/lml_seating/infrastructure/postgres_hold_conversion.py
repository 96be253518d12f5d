"""A hold becomes an order's reservation, in PostgreSQL: ``lml.convert_hold``
(migrations/0010; sold with its order, 0013), on seating's tables, in whatever transaction
the scope gives (the order's tenant unit of work, docs/decisions/0006-table-ownership.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from lml_seating.application.ports import ConversionRefused
from lml_seating.domain import ConvertedHold, HoldScope, PricedPlaces, PricedSeat
from lml_seating.infrastructure.hold_rows import decode_hold_scope
from lml_tenancy import TenantScope, fetch_one

CONVERT = """
select outcome, hold_id as id, tenant_id as org_id, event_id, seat_ids, ga, sales_channel_id,
       seats, zones
from lml.convert_hold(%s, %s, %s)
"""

RELEASE = """
select hold_id as id, tenant_id as org_id, event_id, seat_ids, ga, sales_channel_id
from lml.release_converted_hold(%s, %s)
"""

SELL = """
select hold_id as id, tenant_id as org_id, event_id, seat_ids, ga, sales_channel_id
from lml.sell_converted_hold(%s)
"""


class PostgresHoldConversion:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def convert(
        self, org_id: str, hold_id: str, token_digest: bytes, at: datetime
    ) -> ConvertedHold | ConversionRefused:
        row = await fetch_one(self._scope, org_id, CONVERT, (hold_id, token_digest, at))
        assert row is not None, "lml.convert_hold answers one row"
        if row["outcome"] != "converted":
            return ConversionRefused(row["outcome"])
        return _converted(row)

    async def release(self, org_id: str, hold_id: str, at: datetime) -> HoldScope | None:
        row = await fetch_one(self._scope, org_id, RELEASE, (hold_id, at))
        return None if row is None else decode_hold_scope(row)

    async def sell(self, org_id: str, hold_id: str) -> HoldScope | None:
        row = await fetch_one(self._scope, org_id, SELL, (hold_id,))
        return None if row is None else decode_hold_scope(row)


def _converted(row: dict[str, Any]) -> ConvertedHold:
    return ConvertedHold(
        scope=decode_hold_scope(row),
        # psycopg decodes jsonb to Python; msgspec converts it to the value types.
        seats=msgspec.convert(row["seats"], tuple[PricedSeat, ...]),
        zones=msgspec.convert(row["zones"], tuple[PricedPlaces, ...]),
    )
