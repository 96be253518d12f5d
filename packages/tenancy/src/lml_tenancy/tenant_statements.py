"""The statements adapters run most in a tenant's scope: read rows by column name, never by
position, and insert a row whose key may be taken already. On a pool, a read is one
statement in a transaction of its own, sent in one round trip (``tenant_statement``); on
a unit of work, a block of the unit's transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from psycopg.errors import UniqueViolation
from psycopg.rows import dict_row

from lml_tenancy.unit_of_work import TenantScope, TenantUnitOfWork, in_tenant
from lml_tenancy.with_tenant import tenant_statement

Params = Sequence[Any] | Mapping[str, Any]


async def fetch_one(
    scope: TenantScope, tenant_id: str, query: str, params: Params = ()
) -> dict[str, Any] | None:
    """The first row of ``query`` in the tenant's scope, or ``None`` when it has none."""
    rows = await fetch_all(scope, tenant_id, query, params)
    return rows[0] if rows else None


async def fetch_all(
    scope: TenantScope, tenant_id: str, query: str, params: Params = ()
) -> list[dict[str, Any]]:
    if not isinstance(scope, TenantUnitOfWork):
        return (await tenant_statement(scope, tenant_id, query, params)).rows
    async with in_tenant(scope, tenant_id) as conn:
        cursor = conn.cursor(row_factory=dict_row)
        await cursor.execute(query, params)
        return await cursor.fetchall()


async def insert_new(
    scope: TenantScope,
    tenant_id: str,
    statement: str,
    params: Params,
    *,
    keys: Collection[str] | None = None,
) -> bool:
    """Run ``statement`` in the tenant's scope; ``False`` when its row's key is taken.

    ``keys`` names the unique constraints that mean "taken"; a violation of another one is
    a bug and raises. Without ``keys``, any unique violation means taken.
    """
    try:
        async with in_tenant(scope, tenant_id) as conn:
            await conn.execute(statement, params)
    except UniqueViolation as error:
        if keys is not None and error.diag.constraint_name not in keys:
            raise
        return False
    return True
