"""Ports of the payments context. The PostgreSQL adapters take a tenant scope, so they can
join a caller's unit of work (the worker's, which also marks its outbox row done)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from lml_payments.domain import (
    GatewayError,
    Payment,
    PaymentIntent,
    PaymentStatus,
    Receipt,
    RefundDue,
    SignatureRefused,
    StripeEvent,
)
from lml_result import Result


class PaymentGateway(Protocol):
    """Stripe, or a stand-in. Every call is idempotent on Stripe's side (the order id is
    the idempotency key), so a retried request never makes a second intent or refund."""

    async def create_intent(
        self, *, org_id: str, order_id: str, amount: int, currency: str
    ) -> Result[PaymentIntent, GatewayError]:
        """An intent for ``amount`` minor units, carrying the order and tenant in its metadata."""
        ...

    async def retrieve_intent(self, intent_id: str) -> Result[PaymentIntent, GatewayError]: ...

    async def refund(self, *, intent_id: str, order_id: str) -> Result[str, GatewayError]:
        """Refund the intent's payment in full; the refund's id."""
        ...


class WebhookVerifier(Protocol):
    def verify(
        self, payload: bytes, signature: str | None
    ) -> Result[StripeEvent, SignatureRefused]:
        """The event, when ``signature`` (the ``Stripe-Signature`` header) signs ``payload``
        with the endpoint secret and is recent enough."""
        ...


class Payments(Protocol):
    async def get(self, org_id: str, order_id: str) -> Payment | None: ...

    async def get_for_update(self, org_id: str, order_id: str) -> Payment | None:
        """The payment, locked until the unit of work ends: events of one payment applied
        at once wait for one another, and each sees the status the previous one left."""
        ...

    async def add(self, payment: Payment) -> Payment:
        """Keep ``payment`` unless the order has one already; the one kept either way (of two
        concurrent requests for one order, both end with the same)."""
        ...

    async def record_status(
        self, org_id: str, order_id: str, status: PaymentStatus, last_error: str | None = None
    ) -> bool:
        """False when the order has no payment."""
        ...

    async def flag_refund_due(self, org_id: str, order_id: str, at: datetime) -> bool:
        """The payment succeeded for an order that ended unpaid: due a refund since ``at``
        (kept if flagged already). False when the order has no payment."""
        ...

    async def record_refund(self, org_id: str, order_id: str, refund_id: str) -> bool:
        """The payment was refunded as ``refund_id``; it is no longer due one."""
        ...

    async def refunds_due(self, limit: int) -> Sequence[RefundDue]:
        """Across organisations, oldest first: payments flagged and not yet refunded."""
        ...

    async def owner_of_intent(self, intent_id: str) -> tuple[str, str] | None:
        """``(org_id, order_id)`` of the payment of ``intent_id``, across organisations: for a
        Stripe event whose object carries no metadata (a charge names only its intent)."""
        ...


class Inbox(Protocol):
    async def receive(self, event: StripeEvent) -> Receipt:
        """Keep the event once by its id, for the organisation of our payment of its intent
        (``is_of_payment``), and make it due to the worker, in one transaction. Nothing is
        written for an event kept before, or of no payment of ours."""
        ...
