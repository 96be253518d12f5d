"""Tenant-scoped transactions: the only way application code should touch tenant tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from lml_postgres import postgres_faults
from lml_tracing import span

Conn = TypeVar("Conn", bound=AsyncConnection[Any])


@asynccontextmanager
async def with_tenant(pool: AsyncConnectionPool[Conn], tenant_id: str) -> AsyncIterator[Conn]:
    """Lend a pooled connection inside one transaction scoped to ``tenant_id``.

    The tenant is set with ``set_config(..., true)``, which lasts only until the
    transaction ends, so the connection goes back to the pool carrying no tenant
    whether the block commits or raises. Row-Level Security then filters every
    statement in the block to this tenant's rows. Connection failures and timeouts
    surface as ``DependencyUnavailable("postgresql")``.
    """
    if not tenant_id.strip():
        raise ValueError("tenant_id must not be empty")
    with span("postgresql.tenant_transaction"), postgres_faults():
        async with pool.connection() as conn, conn.transaction():
            await conn.execute("select set_config('app.tenant_id', %s, true)", (tenant_id,))
            yield conn
