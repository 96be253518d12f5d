"""A tenant unit of work: one transaction that adapters of several contexts write in.

A request that must change tables of two contexts at once (an order and the hold it
converts) cannot let each adapter open its own ``with_tenant``: that would be two
transactions. The app opens one unit of work and hands it, instead of the pool, to the
adapters of both contexts; each adapter opens its scope with ``in_tenant`` either way,
so it neither knows nor cares which it was given, and no service imports another
(docs/decisions/0006-table-ownership.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from lml_tenancy.with_tenant import tenant_session, with_tenant


class TenantUnitOfWork:
    """One open transaction of one tenant; nothing of it is kept unless ``commit`` is called."""

    def __init__(self, tenant_id: str, connection: AsyncConnection[Any]) -> None:
        self.tenant_id = tenant_id
        self._connection = connection
        self._committed = False

    @property
    def committed(self) -> bool:
        return self._committed

    async def commit(self) -> None:
        """Keep every write made in the unit; the unit takes no more blocks after."""
        self._committed = True
        await self._connection.commit()

    @asynccontextmanager
    async def block(self, tenant_id: str) -> AsyncIterator[AsyncConnection[Any]]:
        """The unit's connection inside a savepoint: a block that raises undoes only its own
        statements, as the adapter's own transaction would have, and the caller decides
        whether the unit goes on or ends uncommitted."""
        if tenant_id != self.tenant_id:
            # The tenant is set once for the unit; a second would share its transaction.
            raise ValueError(f"unit of work of tenant {self.tenant_id!r} asked for {tenant_id!r}")
        if self._committed:
            # Past COMMIT the session has no tenant and would begin an unscoped transaction.
            raise RuntimeError("unit of work already committed")
        async with self._connection.transaction():
            yield self._connection


TenantScope = AsyncConnectionPool[Any] | TenantUnitOfWork
"""What a PostgreSQL adapter is built with: a pool (each call its own transaction) or a unit
of work (each call a block of the caller's transaction)."""


@asynccontextmanager
async def tenant_unit_of_work(
    pool: AsyncConnectionPool[Any], tenant_id: str
) -> AsyncIterator[TenantUnitOfWork]:
    """Open one transaction scoped to ``tenant_id``; roll it back unless the block commits."""
    async with tenant_session(pool, tenant_id, "postgresql.tenant_unit_of_work") as conn:
        unit = TenantUnitOfWork(tenant_id, conn)
        yield unit
        if not unit.committed:
            await conn.rollback()


@asynccontextmanager
async def in_tenant(scope: TenantScope, tenant_id: str) -> AsyncIterator[AsyncConnection[Any]]:
    """How an adapter opens its tenant scope: its own transaction on a pool, or a block of
    the unit of work it was handed."""
    if isinstance(scope, TenantUnitOfWork):
        async with scope.block(tenant_id) as conn:
            yield conn
    else:
        async with with_tenant(scope, tenant_id) as conn:
            yield conn
