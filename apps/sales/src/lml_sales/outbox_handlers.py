"""The handler of every outbox topic, by topic: what the worker's outbox job runs. Each
applies its row once (``PostgresOutbox.apply_once``)."""

from __future__ import annotations

from lml_outbox import Handler, OutboxMessage, PostgresOutbox
from lml_payments.application import PaymentGateway
from lml_payments.domain import STRIPE_EVENT_TOPIC
from lml_postgres import AppPool
from lml_sales.late_refunds import refund_late_payment
from lml_sales.lock_follow_ups import TOPICS, apply_follow_up
from lml_sales.order_work import PostgresOrderWork
from lml_sales.payment_events import REFUND_LATE_PAYMENT, apply_stripe_event
from lml_seating.application import OrderLocks
from lml_tenancy import TenantUnitOfWork


def outbox_handlers(
    pool: AppPool,
    order_locks: OrderLocks,
    gateway: PaymentGateway,
    *,
    refund_late_payments: bool,
) -> dict[str, Handler]:
    outbox = PostgresOutbox(pool)

    async def lock_follow_up(message: OutboxMessage) -> None:
        await outbox.apply_once(message, lambda _: apply_follow_up(message, order_locks))

    async def stripe_event(message: OutboxMessage) -> None:
        # The order work the event used, to count its transitions once the unit commits.
        used: list[PostgresOrderWork] = []

        async def effect(unit: TenantUnitOfWork) -> None:
            used.append(
                await apply_stripe_event(
                    message,
                    unit,
                    pool=pool,
                    order_locks=order_locks,
                    refund_late_payments=refund_late_payments,
                )
            )

        if await outbox.apply_once(message, effect):
            used[0].report_transitions()

    async def late_refund(message: OutboxMessage) -> None:
        await outbox.apply_once(
            message, lambda unit: refund_late_payment(message, unit, pool=pool, gateway=gateway)
        )

    return {
        **dict.fromkeys(TOPICS, lock_follow_up),
        STRIPE_EVENT_TOPIC: stripe_event,
        REFUND_LATE_PAYMENT: late_refund,
    }
