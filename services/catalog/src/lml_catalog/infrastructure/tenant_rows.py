"""How venues and events are read back: one row by id, or a cursor page in (time, id) order.

Both run in the organisation's tenant scope, so Row-Level Security keeps each query in
its tenant; the page query names the tenant column anyway, so that the (tenant, time, id)
index serves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from lml_catalog.domain import Cursor
from lml_tenancy import TenantScope, fetch_all, fetch_one

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TenantRows(Generic[T]):
    """``select`` (a query without ``where``) whose rows, by column name, ``decode`` makes
    into items.

    ``order`` names the time and id columns a page is sorted on.
    """

    select: str
    id_column: str
    tenant_column: str
    order: str
    decode: Callable[[dict[str, Any]], T]

    async def one(self, scope: TenantScope, org_id: str, item_id: str) -> T | None:
        row = await fetch_one(
            scope, org_id, f"{self.select} where {self.id_column} = %s", (item_id,)
        )
        return None if row is None else self.decode(row)

    async def page(
        self, scope: TenantScope, org_id: str, *, after: Cursor | None, limit: int
    ) -> list[T]:
        """Up to ``limit`` items strictly after the cursor's position."""
        where = f"{self.select} where {self.tenant_column} = %s"
        if after is None:
            rows = await fetch_all(
                scope, org_id, f"{where} order by {self.order} limit %s", (org_id, limit)
            )
        else:
            rows = await fetch_all(
                scope,
                org_id,
                f"{where} and ({self.order}) > (%s, %s) order by {self.order} limit %s",
                (org_id, after.after, after.after_id, limit),
            )
        return [self.decode(row) for row in rows]
