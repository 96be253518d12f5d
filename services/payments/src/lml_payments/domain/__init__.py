"""Domain layer of the payments context: intents, payments and Stripe's events."""

from lml_payments.domain.errors import (
    GatewayError,
    GatewayRefused,
    GatewayUnavailable,
    OrderNotPayable,
    SignatureRefused,
)
from lml_payments.domain.events import (
    CHARGE_REFUNDED,
    HANDLED_TYPES,
    PAYMENT_FAILED,
    PAYMENT_PROCESSING,
    PAYMENT_SUCCEEDED,
    STRIPE_EVENT_TOPIC,
    Receipt,
    StripeEvent,
    is_of_payment,
)
from lml_payments.domain.payments import (
    PayableOrder,
    Payment,
    PaymentIntent,
    PaymentStatus,
    RefundDue,
)

__all__ = [
    "CHARGE_REFUNDED",
    "HANDLED_TYPES",
    "PAYMENT_FAILED",
    "PAYMENT_PROCESSING",
    "PAYMENT_SUCCEEDED",
    "STRIPE_EVENT_TOPIC",
    "GatewayError",
    "GatewayRefused",
    "GatewayUnavailable",
    "OrderNotPayable",
    "PayableOrder",
    "Payment",
    "PaymentIntent",
    "PaymentStatus",
    "Receipt",
    "RefundDue",
    "SignatureRefused",
    "StripeEvent",
    "is_of_payment",
]
