"""The outbox in PostgreSQL (``lml.outbox``, migration 0013).

Producers ``enqueue`` a row in their own tenant transaction. The worker ``claim``s due rows
across organisations (a security-definer function that leases them and counts the
attempt) and applies each with ``apply_once``: in one unit of work of its organisation,
the row is marked done first (the guarded update locks it), then the effect runs; both
commit or neither. Of two workers holding one row (the first one's lease ran out), one
commits its effects and the other finds it done and applies nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, LiteralString

import msgspec
from psycopg import sql
from psycopg.types.json import Jsonb

from lml_postgres import AppPool, fetch_rows, postgres_faults
from lml_tenancy import TenantScope, TenantUnitOfWork, in_tenant, tenant_unit_of_work

ENQUEUE = "insert into lml.outbox (tenant_id, topic, payload) values (%s, %s, %s)"
CLAIM = (
    "select tenant_id as org_id, id, topic, payload, attempts, created_at"
    " from lml.claim_outbox(%s, %s)"
)
COMPLETE = (
    "update lml.outbox set processed_at = now()"
    " where id = %s and processed_at is null and dead_at is null returning id"
)
FAIL = (
    "update lml.outbox set last_error = %s, next_attempt_at = coalesce(%s, next_attempt_at),"
    " dead_at = case when %s::timestamptz is null then now() end"
    " where id = %s and processed_at is null and dead_at is null"
)
LAG = "select extract(epoch from coalesce(lml.outbox_lag(), interval '0'))::float8"
DEAD = (
    "select tenant_id as org_id, id, topic, payload, attempts, last_error, dead_at"
    " from lml.dead_outbox(%s)"
)
RETRY = "select lml.retry_outbox(%s)"


class OutboxRow(msgspec.Struct, frozen=True, kw_only=True):
    """What every row says: whose it is, its topic and payload, the attempts made so far."""

    org_id: str
    id: int
    topic: str
    payload: dict[str, Any]
    attempts: int


class OutboxMessage(OutboxRow, frozen=True, kw_only=True):
    """A row claimed to be handled."""

    created_at: datetime


class DeadLetter(OutboxRow, frozen=True, kw_only=True):
    """A row out of attempts, and why its last one failed."""

    last_error: str | None
    dead_at: datetime


Handler = Callable[[OutboxMessage], Awaitable[None]]
"""Handles one row of a topic, applying it once (``PostgresOutbox.apply_once``); raises to
fail it (it is tried again later)."""


def enqueuing(statement: LiteralString) -> sql.Composed:
    """One statement: ``statement`` (a write ``returning tenant_id, topic, payload``) and an
    outbox row for each row it returns, so a producer whose write and enqueue are all its
    transaction holds pays one round trip for both."""
    return sql.SQL(
        "with returned as ({}) insert into lml.outbox (tenant_id, topic, payload)"
        " select tenant_id, topic, payload from returned"
    ).format(sql.SQL(statement))


async def enqueue(scope: TenantScope, org_id: str, topic: str, payload: Mapping[str, Any]) -> None:
    """In the caller's transaction: ``topic`` with ``payload`` is due once it commits."""
    async with in_tenant(scope, org_id) as conn:
        await conn.execute(ENQUEUE, (org_id, topic, Jsonb(dict(payload))))


class PostgresOutbox:
    def __init__(self, pool: AppPool) -> None:
        self._pool = pool

    async def claim(self, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        """Due rows, oldest first, at most ``limit``, leased for ``lease``."""
        rows = await fetch_rows(self._pool, CLAIM, (limit, lease))
        return [OutboxMessage(**row) for row in rows]

    async def apply_once(
        self, message: OutboxMessage, effect: Callable[[TenantUnitOfWork], Awaitable[None]]
    ) -> bool:
        """Run ``effect`` in a unit of work of the row's organisation that also marks the row
        done, committing both, or neither when ``effect`` raises. False, and ``effect`` not
        run, when the row was done (or dead) already."""
        with postgres_faults():
            async with tenant_unit_of_work(self._pool, message.org_id) as unit:
                async with in_tenant(unit, message.org_id) as conn:
                    cursor = await conn.execute(COMPLETE, (message.id,))
                    if await cursor.fetchone() is None:
                        return False
                await effect(unit)
                await unit.commit()
        return True

    async def fail(self, message: OutboxMessage, error: str, retry_at: datetime | None) -> None:
        """The attempt failed: try again at ``retry_at``, or dead-letter the row (None)."""
        with postgres_faults():
            async with in_tenant(self._pool, message.org_id) as conn:
                await conn.execute(FAIL, (error[:2000], retry_at, retry_at, message.id))

    async def lag_seconds(self) -> float:
        """The age of the oldest row not yet processed (0 when none)."""
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = await conn.execute(LAG)
                row = await cursor.fetchone()
        return float(row[0]) if row else 0.0

    async def dead(self, limit: int) -> Sequence[DeadLetter]:
        rows = await fetch_rows(self._pool, DEAD, (limit,))
        return [DeadLetter(**row) for row in rows]

    async def retry(self, message_id: int) -> bool:
        """A dead row is due again, its attempts reset; False when no dead row has that id."""
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = await conn.execute(RETRY, (message_id,))
                row = await cursor.fetchone()
        return bool(row and row[0])
