"""In-memory payments and inbox, for unit tests and the in-memory app."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec

from lml_payments.domain import (
    STRIPE_EVENT_TOPIC,
    Payment,
    PaymentStatus,
    Receipt,
    RefundDue,
    StripeEvent,
    is_of_payment,
)


class InMemoryPayments:
    def __init__(self) -> None:
        self.payments: dict[str, Payment] = {}

    async def get(self, org_id: str, order_id: str) -> Payment | None:
        payment = self.payments.get(order_id)
        return payment if payment is not None and payment.org_id == org_id else None

    async def get_for_update(self, org_id: str, order_id: str) -> Payment | None:
        # One event loop applies one change at a time: nothing to lock.
        return await self.get(org_id, order_id)

    async def add(self, payment: Payment) -> Payment:
        return self.payments.setdefault(payment.order_id, payment)

    async def record_status(
        self, org_id: str, order_id: str, status: PaymentStatus, last_error: str | None = None
    ) -> bool:
        return self._change(org_id, order_id, status=status, last_error=last_error)

    async def flag_refund_due(self, org_id: str, order_id: str, at: datetime) -> bool:
        payment = await self.get(org_id, order_id)
        if payment is None:
            return False
        return self._change(org_id, order_id, refund_due_at=payment.refund_due_at or at)

    async def record_refund(self, org_id: str, order_id: str, refund_id: str) -> bool:
        return self._change(org_id, order_id, refund_id=refund_id)

    async def refunds_due(self, limit: int) -> Sequence[RefundDue]:
        due = sorted(
            (
                p
                for p in self.payments.values()
                if p.refund_due_at is not None and p.refund_id is None
            ),
            key=lambda p: (p.refund_due_at, p.order_id),
        )
        return [
            RefundDue(
                org_id=p.org_id,
                order_id=p.order_id,
                intent_id=p.intent_id,
                amount=p.amount,
                currency=p.currency,
                refund_due_at=p.refund_due_at,
            )
            for p in due[: max(limit, 0)]
            if p.refund_due_at is not None
        ]

    async def owner_of_intent(self, intent_id: str) -> tuple[str, str] | None:
        return next(
            ((p.org_id, p.order_id) for p in self.payments.values() if p.intent_id == intent_id),
            None,
        )

    def _change(self, org_id: str, order_id: str, **changes: object) -> bool:
        payment = self.payments.get(order_id)
        if payment is None or payment.org_id != org_id:
            return False
        self.payments[order_id] = msgspec.structs.replace(payment, **changes)
        return True


class InMemoryInbox:
    """``events`` by id with their organisation; ``due`` what the worker would be told. The
    organisation of an event is that of its intent's payment in ``payments``."""

    def __init__(self, payments: InMemoryPayments) -> None:
        self._payments = payments
        self.events: dict[str, tuple[str, StripeEvent]] = {}
        self.due: list[tuple[str, str, dict[str, str]]] = []

    async def receive(self, event: StripeEvent) -> Receipt:
        intent_id = event.intent_id
        owner = None if intent_id is None else await self._payments.owner_of_intent(intent_id)
        if owner is None or not is_of_payment(event, *owner):
            return "unknown_tenant"
        if event.id in self.events:
            return "duplicate"
        org_id = owner[0]
        self.events[event.id] = (org_id, event)
        self.due.append(
            (org_id, STRIPE_EVENT_TOPIC, {"stripe_event_id": event.id, "type": event.type})
        )
        return "stored"
