"""A payment that succeeded after its order had ended unpaid, refunded through the gateway
(when ``LML_REFUND_LATE_PAYMENTS`` is on): the outbox handler of ``payment.refund`` rows.
The gateway's idempotency key (``refund-<order id>``) makes a retried row refund once."""

from __future__ import annotations

from lml_outbox import OutboxMessage
from lml_payments.application import PaymentGateway
from lml_payments.infrastructure import PostgresPayments
from lml_postgres import AppPool
from lml_result import Err
from lml_tenancy import TenantUnitOfWork


class RefundFailed(Exception):
    """The gateway refused or could not be reached: the row is tried again later."""


async def refund_late_payment(
    message: OutboxMessage, unit: TenantUnitOfWork, *, pool: AppPool, gateway: PaymentGateway
) -> None:
    payments = PostgresPayments(unit, pool)
    payment = await payments.get(message.org_id, message.payload["order_id"])
    if payment is None or payment.refund_id is not None:
        return
    refunded = await gateway.refund(intent_id=payment.intent_id, order_id=payment.order_id)
    if isinstance(refunded, Err):
        raise RefundFailed(repr(refunded.error))
    await payments.record_refund(message.org_id, payment.order_id, refunded.value)
