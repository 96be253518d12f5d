"""The handler of every outbox topic, by topic: what the worker's outbox job runs."""

from __future__ import annotations

from lml_outbox import Handler, OutboxMessage, PostgresOutbox
from lml_sales.lock_follow_ups import TOPICS, apply_follow_up
from lml_seating.application import OrderLocks
from lml_tenancy import TenantUnitOfWork


def outbox_handlers(outbox: PostgresOutbox, order_locks: OrderLocks) -> dict[str, Handler]:
    async def lock_follow_up(message: OutboxMessage) -> None:
        async def effect(_: TenantUnitOfWork) -> None:
            await apply_follow_up(message, order_locks)

        await outbox.apply_once(message, effect)

    return dict.fromkeys(TOPICS, lock_follow_up)
