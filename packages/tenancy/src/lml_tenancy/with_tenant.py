"""Tenant-scoped transactions: the only way application code should touch tenant tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any, NamedTuple, TypeVar

import psycopg
from psycopg import AsyncClientCursor, AsyncConnection, sql
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from lml_postgres import postgres_faults
from lml_tracing import span

Conn = TypeVar("Conn", bound=AsyncConnection[Any])

_SET_TENANT = "select set_config('app.tenant_id', {}, true)"
_BEGIN = {
    False: sql.SQL("begin; " + _SET_TENANT),
    True: sql.SQL("begin isolation level repeatable read read only; " + _SET_TENANT),
}

# The rendered opening statement per tenant: rendering it costs more than the rest of
# the client's work for the statement. Bounded; cleared whole when full (tenants are few).
_OPENINGS_MAX = 1024
_openings: dict[tuple[str, bool], bytes] = {}

_IN_TRANSACTION = (TransactionStatus.INTRANS, TransactionStatus.INERROR)


def _opening(tenant_id: str, conn: AsyncConnection[Any], *, one_snapshot: bool) -> bytes:
    """``BEGIN`` and the transaction-local tenant setting, as one simple-protocol string."""
    opening = _openings.get((tenant_id, one_snapshot))
    if opening is None:
        if len(_openings) >= _OPENINGS_MAX:
            _openings.clear()
        # Literal quotes by the connection's rules; every pooled session has the same ones.
        opening = _openings[tenant_id, one_snapshot] = (
            _BEGIN[one_snapshot].format(sql.Literal(tenant_id)).as_bytes(conn)
        )
    return opening


@asynccontextmanager
async def with_tenant(
    pool: AsyncConnectionPool[Conn], tenant_id: str, *, one_snapshot: bool = False
) -> AsyncIterator[Conn]:
    """Lend a pooled connection inside one transaction scoped to ``tenant_id``.

    With ``one_snapshot``, the transaction is read-only and every statement in it sees the
    same committed state (``REPEATABLE READ``): reads that must agree with each other,
    however busy the writers, without reading again.

    The tenant is set with ``set_config(..., true)``, which lasts only until the
    transaction ends, so the connection goes back to the pool carrying no tenant
    whether the block commits or raises. Row-Level Security then filters every
    statement in the block to this tenant's rows. Connection failures and timeouts
    surface as ``DependencyUnavailable("postgresql")``.

    ``BEGIN`` and the setting go in one round trip (a two-statement simple query, the
    tenant quoted as a literal) instead of two, with ``COMMIT`` or ``ROLLBACK`` sent
    here rather than by ``conn.transaction()``: a third less client CPU per transaction.
    A ``conn.transaction()`` inside the block becomes a savepoint, as before.
    """
    async with tenant_session(
        pool, tenant_id, "postgresql.tenant_transaction", one_snapshot=one_snapshot
    ) as conn:
        yield conn
        await conn.commit()


@asynccontextmanager
async def tenant_session(
    pool: AsyncConnectionPool[Conn], tenant_id: str, span_name: str, *, one_snapshot: bool = False
) -> AsyncIterator[Conn]:
    """A pooled connection in a transaction scoped to ``tenant_id``, rolled back if the block
    raises; committing or rolling back a block that ends is the caller's."""
    async with _tenant_connection(pool, tenant_id, span_name) as conn:
        await conn.execute(_opening(tenant_id, conn, one_snapshot=one_snapshot))
        yield conn


@asynccontextmanager
async def _tenant_connection(
    pool: AsyncConnectionPool[Conn], tenant_id: str, span_name: str
) -> AsyncIterator[Conn]:
    """A pooled connection for one transaction of ``tenant_id``, rolled back if the block
    raises, with its span and its faults translated."""
    if not tenant_id.strip():
        raise ValueError("tenant_id must not be empty")
    with span(span_name), postgres_faults():
        async with pool.connection() as conn:
            try:
                yield conn
            except BaseException:
                # A broken or busy (cancelled mid-statement) session is not rolled back
                # here: the pool discards it. A failed rollback must not hide the error.
                if conn.pgconn.transaction_status in _IN_TRANSACTION:
                    with suppress(psycopg.Error):
                        await conn.rollback()
                raise


class StatementResult(NamedTuple):
    rows: list[dict[str, Any]]
    rowcount: int


async def tenant_statement(
    pool: AsyncConnectionPool[Any],
    tenant_id: str,
    statement: str | sql.Composable,
    params: Sequence[Any] | Mapping[str, Any] = (),
) -> StatementResult:
    """One statement in a transaction of its own scoped to ``tenant_id``, in one round trip:
    ``BEGIN``, the tenant setting, the statement and ``COMMIT`` go as one simple query, its
    parameters bound on the client (as literals, by the connection's rules). ``with_tenant``
    around one statement costs three round trips, and each costs the client more than the
    server's work for a small read (the snapshot's revalidation, a webhook's insert).

    The statement is not prepared on the server; a failure rolls the transaction back."""
    async with _tenant_connection(pool, tenant_id, "postgresql.tenant_statement") as conn:
        text = statement if isinstance(statement, str) else statement.as_string(conn)
        # The opening carries the tenant as a literal: its % must not read as parameters.
        opening = _opening(tenant_id, conn, one_snapshot=False).replace(b"%", b"%%")
        cursor = AsyncClientCursor(conn, row_factory=dict_row)
        await cursor.execute(b"%b; %b; commit" % (opening, text.encode()), params)
        cursor.nextset()  # past BEGIN
        cursor.nextset()  # past the tenant setting
        rows = await cursor.fetchall() if cursor.description else []
        return StatementResult(rows, cursor.rowcount)
