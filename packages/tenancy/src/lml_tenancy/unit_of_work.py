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
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool

from lml_tenancy.with_tenant import tenant_session, with_tenant


class TenantUnitOfWork:
    """One open transaction of one tenant; nothing of it is kept unless ``commit`` is called."""

    def __init__(self, tenant_id: str, connection: AsyncConnection[Any]) -> None:
        self.tenant_id = tenant_id
        self._connection = connection
        self._committed = False
        self._failed = False

    @property
    def committed(self) -> bool:
        return self._committed

    async def commit(self) -> None:
        """Keep every write made in the unit; the unit takes no more blocks after."""
        if self._failed:
            raise RuntimeError("unit of work failed: one of its blocks raised or left an error")
        self._committed = True
        await self._connection.commit()

    @asynccontextmanager
    async def block(self, tenant_id: str) -> AsyncIterator[AsyncConnection[Any]]:
        """The unit's connection, as it is: no savepoint (two round trips per block, paid on
        every adapter call of every order). So a block that raises, or that caught a failed
        statement (a constraint turned into an ``Err``), fails the whole unit: it takes no
        more blocks and refuses to commit, and the caller ends it uncommitted, which is what
        a use case does with an ``Err`` anyway."""
        if tenant_id != self.tenant_id:
            # The tenant is set once for the unit; a second would share its transaction.
            raise ValueError(f"unit of work of tenant {self.tenant_id!r} asked for {tenant_id!r}")
        if self._committed:
            # Past COMMIT the session has no tenant and would begin an unscoped transaction.
            raise RuntimeError("unit of work already committed")
        if self._failed:
            raise RuntimeError("unit of work failed: one of its blocks raised or left an error")
        try:
            yield self._connection
        except BaseException:
            self._failed = True
            raise
        if self._connection.info.transaction_status is TransactionStatus.INERROR:
            self._failed = True


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
