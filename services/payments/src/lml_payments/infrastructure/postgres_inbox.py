"""The webhook inbox in PostgreSQL: ``lml.stripe_events`` (payments' own) and, in the same
transaction, the outbox row that makes a new event due to the worker."""

from __future__ import annotations

import msgspec
from psycopg.types.json import Jsonb

from lml_outbox import enqueuing
from lml_payments.domain import STRIPE_EVENT_TOPIC, StripeEvent
from lml_postgres import AppPool
from lml_tenancy import TenantScope, in_tenant, tenant_statement

# One statement: the event, and its outbox row only when the event is new.
STORE = enqueuing(
    "insert into lml.stripe_events (tenant_id, id, type, payload) values (%s, %s, %s, %s)"
    " on conflict (id) do nothing"
    " returning tenant_id, %s::text as topic,"
    " jsonb_build_object('stripe_event_id', id, 'type', type) as payload"
)

READ = "select payload from lml.stripe_events where id = %s"


class PostgresInbox:
    def __init__(self, pool: AppPool) -> None:
        self._pool = pool

    async def store(self, org_id: str, event: StripeEvent) -> bool:
        # Of two deliveries at once, the second insert waits for the first to commit and
        # then inserts nothing, so the event is enqueued once.
        stored = await tenant_statement(
            self._pool,
            org_id,
            STORE,
            (org_id, event.id, event.type, Jsonb(_payload(event)), STRIPE_EVENT_TOPIC),
        )
        return stored.rowcount == 1


def _payload(event: StripeEvent) -> dict[str, object]:
    return {"id": event.id, "type": event.type, "created": event.created, "object": event.object}


async def stored_event(scope: TenantScope, org_id: str, event_id: str) -> StripeEvent | None:
    """An event the inbox kept, as it was delivered (None when there is none of that id)."""
    async with in_tenant(scope, org_id) as conn:
        cursor = await conn.execute(READ, (event_id,))
        row = await cursor.fetchone()
    return None if row is None else msgspec.convert(row[0], StripeEvent)
