"""Use case: a buyer's app asks to pay for an order and gets the intent to confirm."""

from __future__ import annotations

import msgspec

from lml_payments.application.ports import PaymentGateway, Payments
from lml_payments.domain import (
    GatewayError,
    OrderNotPayable,
    PayableOrder,
    Payment,
    PaymentIntent,
)
from lml_result import Err, Ok, Result


async def start_payment(
    org_id: str,
    order: PayableOrder,
    *,
    gateway: PaymentGateway,
    payments: Payments,
) -> Result[PaymentIntent, OrderNotPayable | GatewayError]:
    """A pending order only. One intent per order: asked again, the same intent (its client
    secret asked of Stripe, since we never store it). Two requests at once both create
    through the gateway with the order id as Stripe's idempotency key, so Stripe gives
    both the same intent and one row is kept."""
    if not order.is_pending:
        return Err(OrderNotPayable(order.order_id))
    existing = await payments.get(org_id, order.order_id)
    if existing is not None:
        return await _again(existing, gateway)
    created = await gateway.create_intent(
        org_id=org_id, order_id=order.order_id, amount=order.amount, currency=order.currency
    )
    if isinstance(created, Err):
        return created
    intent = created.value
    kept = await payments.add(
        Payment(
            org_id=org_id,
            order_id=order.order_id,
            intent_id=intent.intent_id,
            amount=intent.amount,
            currency=intent.currency,
        )
    )
    if kept.intent_id != intent.intent_id:
        return await _again(kept, gateway)
    return Ok(intent)


async def _again(payment: Payment, gateway: PaymentGateway) -> Result[PaymentIntent, GatewayError]:
    """The intent of a payment we keep, its amount and currency as we recorded them."""
    retrieved = await gateway.retrieve_intent(payment.intent_id)
    if isinstance(retrieved, Err):
        return retrieved
    return Ok(
        msgspec.structs.replace(retrieved.value, amount=payment.amount, currency=payment.currency)
    )
