"""Payments: an order's payment intent, Stripe's webhook, and (development only) the fake
gateway's outcomes delivered as Stripe would deliver them."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from lml_api.access import PUBLIC, requires
from lml_api.container import Container
from lml_api.idempotency import NOT_IDEMPOTENT
from lml_api.problems import ProblemError, unwrap
from lml_auth import Principal, Scope
from lml_payments.application import Received, receive_webhook, start_payment
from lml_payments.fakes import signed_event
from lml_payments.infrastructure.adapters import PaymentsAdapters
from lml_sales.payable_orders import payable_order

Outcome = Literal["succeeded", "failed", "processing", "refunded"]
EVENT_OF_OUTCOME: dict[str, str] = {
    "succeeded": "payment_intent.succeeded",
    "failed": "payment_intent.payment_failed",
    "processing": "payment_intent.processing",
    "refunded": "charge.refunded",
}


class PaymentIntentOut(msgspec.Struct, frozen=True, kw_only=True):
    payment_intent_id: str
    client_secret: str
    amount: int
    currency: str


class WebhookReceived(msgspec.Struct, frozen=True):
    received: bool


class DevDelivery(msgspec.Struct, frozen=True, kw_only=True):
    stripe_event_id: str
    type: str
    outcome: str


async def receive_stripe_event(
    payments: PaymentsAdapters, payload: bytes, signature: str | None
) -> Received:
    """A Stripe event as the webhook takes it: verified, stored once, applied by the worker."""
    return unwrap(
        await receive_webhook(
            payload,
            signature,
            verifier=payments.verifier,
            inbox=payments.inbox,
        )
    )


@post(
    "/v1/orders/{order_id:str}/payment-intent",
    summary="The order's Stripe payment intent, made on first call",
    description=(
        "201 with the intent's id and the client secret the buyer's app confirms it with,"
        " every time: asking again answers 201 with the same intent (one per order; the"
        " order id is Stripe's idempotency key). An order that is not pending 409"
        " `order-not-payable`; another organisation's order 404; Stripe unreachable 503"
        " `dependency-unavailable`, refusing 502 `payment-refused`."
    ),
    opt=requires(Scope.ORDERS_WRITE),
)
async def create_payment_intent(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    order_id: FromPath[str],
) -> Response[PaymentIntentOut]:
    order = unwrap(await payable_order(principal.org_id, order_id, work=container.ordering.work))
    payments = container.payments
    intent = unwrap(
        await start_payment(
            principal.org_id, order, gateway=payments.gateway, payments=payments.payments
        )
    )
    body = PaymentIntentOut(
        payment_intent_id=intent.intent_id,
        client_secret=intent.client_secret,
        amount=intent.amount,
        currency=intent.currency,
    )
    return Response(body, status_code=201)


@post(
    "/v1/webhooks/stripe",
    summary="Stripe's events",
    description=(
        "The raw body is checked against `Stripe-Signature` (endpoint secret, 5-minute"
        " tolerance): missing, wrong or stale 400 `invalid-signature`, nothing stored. A"
        " signed event is stored once and applied by the worker; duplicates, types not"
        " handled and events of no known organisation are answered 200 too."
    ),
    status_code=200,
    opt=PUBLIC | NOT_IDEMPOTENT,
)
async def stripe_webhook(
    request: Request[Any, Any, Any], container: NamedDependency[Container]
) -> WebhookReceived:
    await receive_stripe_event(
        container.payments, await request.body(), request.headers.get("stripe-signature")
    )
    return WebhookReceived(received=True)


@post(
    "/v1/dev/payments/{order_id:str}/{outcome:str}",
    summary="Development only: the fake gateway's payment of an order succeeds, fails, ...",
    description=(
        "Builds the Stripe event of `outcome` (succeeded, failed, processing, refunded) for"
        " the order's payment, signs it with the webhook secret and delivers it through the"
        " webhook's own path; the worker applies it. 202; an order without a payment 404."
        " Present only when the fake gateway is in use outside production."
    ),
    status_code=202,
    opt=requires(Scope.ORDERS_WRITE),
)
async def deliver_fake_outcome(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    order_id: FromPath[str],
    outcome: FromPath[Outcome],
) -> DevDelivery:
    payments = container.payments
    payment = await payments.payments.get(principal.org_id, order_id)
    if payment is None:
        raise ProblemError("not-found", f"Order {order_id!r} has no payment.")
    event_type = EVENT_OF_OUTCOME[outcome]
    payload, signature = signed_event(
        payments.webhook_secret,
        event_type,
        intent_id=payment.intent_id,
        org_id=payment.org_id,
        order_id=payment.order_id,
        amount=payment.amount,
        currency=payment.currency,
    )
    received = await receive_stripe_event(payments, payload, signature)
    return DevDelivery(stripe_event_id=received.event_id, type=event_type, outcome=received.outcome)


ROUTES = [create_payment_intent, stripe_webhook]
DEV_ROUTES = [deliver_fake_outcome]
