"""The webhook inbox in PostgreSQL: ``lml.stripe_events`` (payments' own) and, in the same
statement, the outbox row that makes a new event due to the worker.

Deliveries received at once go as one batch to ``lml.receive_stripe_events`` (migration
0016), which finds each event's organisation by its intent's payment and keeps the new
ones: one round trip and one commit however many deliveries are in flight."""

from __future__ import annotations

import msgspec
from psycopg.types.json import Jsonb

from lml_batching import Batcher
from lml_payments.domain import STRIPE_EVENT_TOPIC, Receipt, StripeEvent
from lml_postgres import AppPool, postgres_faults
from lml_tenancy import TenantScope, in_tenant

RECEIVE = "select outcome from lml.receive_stripe_events(%s, %s)"
READ = "select payload from lml.stripe_events where id = %s"
BATCH_SIZE = 64


class PostgresInbox:
    def __init__(self, pool: AppPool, *, batch_size: int = BATCH_SIZE) -> None:
        self._pool = pool
        self._receipts: Batcher[None, StripeEvent, Receipt] = Batcher(
            self._receive_batch, max_size=batch_size
        )

    async def receive(self, event: StripeEvent) -> Receipt:
        return await self._receipts.submit(None, event)

    async def _receive_batch(self, _: None, events: list[StripeEvent]) -> list[Receipt]:
        # One id goes once: of its deliveries in the batch, the later ones are duplicates.
        distinct: dict[str, StripeEvent] = {}
        for event in events:
            distinct.setdefault(event.id, event)
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = await conn.execute(
                    RECEIVE,
                    (Jsonb([_delivery(event) for event in distinct.values()]), STRIPE_EVENT_TOPIC),
                )
                rows = await cursor.fetchall()
        first: dict[str, Receipt] = {
            event_id: row[0] for event_id, row in zip(distinct, rows, strict=True)
        }
        receipts: list[Receipt] = []
        for event in events:
            receipt = first[event.id]
            receipts.append(receipt)
            if receipt == "stored":
                first[event.id] = "duplicate"
        return receipts


def _delivery(event: StripeEvent) -> dict[str, object]:
    return {
        "id": event.id,
        "type": event.type,
        "payload": _payload(event),
        "intent_id": event.intent_id,
        "tenant_id": event.tenant_id,
        "order_id": event.order_id,
    }


def _payload(event: StripeEvent) -> dict[str, object]:
    return {"id": event.id, "type": event.type, "created": event.created, "object": event.object}


async def stored_event(scope: TenantScope, org_id: str, event_id: str) -> StripeEvent | None:
    """An event the inbox kept, as it was delivered (None when there is none of that id)."""
    async with in_tenant(scope, org_id) as conn:
        cursor = await conn.execute(READ, (event_id,))
        row = await cursor.fetchone()
    return None if row is None else msgspec.convert(row[0], StripeEvent)
