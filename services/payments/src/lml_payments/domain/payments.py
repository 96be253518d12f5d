"""Payments: the intent Stripe holds for an order, and our row of it (``lml.payments``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

PaymentStatus = Literal["requires_payment", "processing", "succeeded", "failed", "refunded"]


class PaymentIntent(msgspec.Struct, frozen=True, kw_only=True):
    """Stripe's side of a payment; the client secret is only ever asked of Stripe, never stored."""

    intent_id: str
    client_secret: str
    amount: int
    currency: str
    status: str


class Payment(msgspec.Struct, frozen=True, kw_only=True):
    """One order's payment, as we keep it: one intent per order."""

    org_id: str
    order_id: str
    intent_id: str
    amount: int
    currency: str
    status: PaymentStatus = "requires_payment"
    last_error: str | None = None
    refund_due_at: datetime | None = None
    refund_id: str | None = None


class PayableOrder(msgspec.Struct, frozen=True, kw_only=True):
    """What payments needs to know of an order (read through ordering's ports by the app)."""

    order_id: str
    amount: int
    currency: str
    is_pending: bool


class RefundDue(msgspec.Struct, frozen=True, kw_only=True):
    """A payment that succeeded after its order ended unpaid, not refunded yet."""

    org_id: str
    order_id: str
    intent_id: str
    amount: int
    currency: str
    refund_due_at: datetime
