"""A stored Stripe event applied to its order, payment and seats: the outbox handler of
``stripe.event`` rows, in the worker's unit of work (docs/decisions/0012-outbox.md).

The event names its order in the intent's metadata (a charge only names its intent, found
through our payment of it); the order must be of the organisation the event was stored
for and its payment of that very intent, or the event changes nothing. Each outcome is
safe to apply again and in any order (``lml_ordering.application.settle_payment``); a
refund that arrives before its payment's success fails, to be retried once it has.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from lml_ordering.application import (
    NotPaidYet,
    PaidLate,
    pay_order,
    payment_failed,
    payment_in_flight,
    refund_order,
)
from lml_outbox import OutboxMessage, enqueue
from lml_payments.domain import Payment, StripeEvent
from lml_payments.infrastructure import PostgresPayments, stored_event
from lml_postgres import AppPool
from lml_result import Err
from lml_sales.metrics import LATE_PAYMENTS
from lml_sales.order_work import PostgresOrderWork, order_work_on
from lml_seating.application import OrderLocks
from lml_tenancy import TenantUnitOfWork

log = logging.getLogger("lml.sales.payments")

REFUND_LATE_PAYMENT = "payment.refund"

# A payment's status only moves forward: a late "processing" or "failed" after success
# (Stripe delivers in any order) must not undo it.
_STILL_OPEN = ("requires_payment", "processing", "failed")


class PaymentNotAppliedYet(Exception):
    """The event depends on one not applied yet (a refund before its payment): retried."""


async def apply_stripe_event(
    message: OutboxMessage,
    unit: TenantUnitOfWork,
    *,
    pool: AppPool,
    order_locks: OrderLocks,
    refund_late_payments: bool,
) -> PostgresOrderWork:
    """Apply the event in ``unit``; the order work it used, whose transitions the caller
    reports once the unit commits."""
    org_id = message.org_id
    work = order_work_on(unit, order_locks)
    event = await stored_event(unit, org_id, message.payload["stripe_event_id"])
    if event is None:
        raise LookupError(f"no stored Stripe event {message.payload['stripe_event_id']!r}")
    payments = PostgresPayments(unit, pool)
    payment = await _payment_of(event, org_id, payments)
    if payment is None:
        return work
    now = datetime.now(UTC)
    order_id = payment.order_id
    match event.type:
        case "payment_intent.succeeded":
            paid = await pay_order(work, org_id, order_id, at=now)
            if isinstance(paid, Err):
                return work
            if payment.status in _STILL_OPEN:
                await payments.record_status(org_id, order_id, "succeeded")
            if isinstance(paid.value, PaidLate):
                await payments.flag_refund_due(org_id, order_id, now)
                LATE_PAYMENTS.inc()
                if refund_late_payments:
                    await enqueue(unit, org_id, REFUND_LATE_PAYMENT, {"order_id": order_id})
        case "payment_intent.payment_failed":
            if payment.status in _STILL_OPEN:
                reason = _failure_reason(event)
                await payment_failed(work, org_id, order_id, reason=reason, at=now)
                await payments.record_status(org_id, order_id, "failed", reason)
        case "payment_intent.processing":
            if payment.status in _STILL_OPEN:
                await payment_in_flight(work, org_id, order_id, at=now)
                await payments.record_status(org_id, order_id, "processing")
        case "charge.refunded":
            refunded = await refund_order(work, org_id, order_id, at=now)
            if isinstance(refunded, Err):
                if isinstance(refunded.error, NotPaidYet):
                    raise PaymentNotAppliedYet(f"order {order_id} is refunded but not paid yet")
                return work
            await payments.record_status(org_id, order_id, "refunded")
            if isinstance(refunded.value, PaidLate) and event.refund_id is not None:
                await payments.record_refund(org_id, order_id, event.refund_id)
    return work


async def _payment_of(
    event: StripeEvent, org_id: str, payments: PostgresPayments
) -> Payment | None:
    """The organisation's payment the event is about, or None (logged) when there is none:
    an event is only ever applied to the order of the intent it names."""
    order_id = event.order_id
    if order_id is None and event.intent_id is not None:
        owner = await payments.owner_of_intent(event.intent_id)
        order_id = owner[1] if owner is not None and owner[0] == org_id else None
    # Locked first, before the order and the seats: two events of one payment (a success
    # and a processing in one batch) would otherwise deadlock, or the later commit would
    # overwrite the status the earlier one set, having read the status before it.
    payment = None if order_id is None else await payments.get_for_update(org_id, order_id)
    if payment is None or payment.intent_id != event.intent_id:
        log.warning(
            "Stripe event ignored: no payment of its intent for its order in this organisation",
            extra={"event": event.id, "type": event.type, "org_id": org_id},
        )
        return None
    return payment


def _failure_reason(event: StripeEvent) -> str:
    error = event.object.get("last_payment_error")
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) and message else "payment failed"
