"""A Stripe event as delivered to the webhook, and what we read of it."""

from __future__ import annotations

from typing import Any, Final, Literal

import msgspec

PAYMENT_SUCCEEDED: Final = "payment_intent.succeeded"
PAYMENT_FAILED: Final = "payment_intent.payment_failed"
PAYMENT_PROCESSING: Final = "payment_intent.processing"
CHARGE_REFUNDED: Final = "charge.refunded"
HANDLED_TYPES: Final = frozenset(
    {PAYMENT_SUCCEEDED, PAYMENT_FAILED, PAYMENT_PROCESSING, CHARGE_REFUNDED}
)


class StripeEvent(msgspec.Struct, frozen=True, kw_only=True):
    """``object`` is the event's ``data.object``: a payment intent or a charge."""

    id: str
    type: str
    created: int
    object: dict[str, Any]

    @property
    def handled(self) -> bool:
        return self.type in HANDLED_TYPES

    @property
    def tenant_id(self) -> str | None:
        return self._metadata("tenant_id")

    @property
    def order_id(self) -> str | None:
        return self._metadata("order_id")

    @property
    def intent_id(self) -> str | None:
        """The payment intent: the object itself, or the one a charge belongs to."""
        if self.type.startswith("charge."):
            intent = self.object.get("payment_intent")
        else:
            intent = self.object.get("id")
        return intent if isinstance(intent, str) and intent else None

    @property
    def refund_id(self) -> str | None:
        """A refunded charge's first refund, as the charge lists them."""
        refunds = self.object.get("refunds")
        listed = refunds.get("data") if isinstance(refunds, dict) else None
        first = listed[0] if isinstance(listed, list) and listed else None
        refund = first.get("id") if isinstance(first, dict) else None
        return refund if isinstance(refund, str) and refund else None

    def _metadata(self, key: str) -> str | None:
        metadata = self.object.get("metadata")
        value = metadata.get(key) if isinstance(metadata, dict) else None
        return value if isinstance(value, str) and value else None


STRIPE_EVENT_TOPIC: Final = "stripe.event"
"""The outbox topic of a stored Stripe event: ``{"stripe_event_id", "type"}``."""

Receipt = Literal["stored", "duplicate", "unknown_tenant"]
"""What the inbox did with a delivered event: kept it (and made it due), had kept it
before, or kept nothing as it is of no payment of ours."""


def is_of_payment(event: StripeEvent, org_id: str, order_id: str) -> bool:
    """Whether the event can be of our payment of its intent, ``order_id`` of ``org_id``:
    the metadata names that organisation and order, or none (a charge carries no metadata
    of its own and is known by its intent alone)."""
    return event.tenant_id in (None, org_id) and event.order_id in (None, order_id)
