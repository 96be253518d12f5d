"""Infrastructure layer of the payments context: PostgreSQL and Stripe adapters."""

from lml_payments.infrastructure.postgres_inbox import PostgresInbox, stored_event
from lml_payments.infrastructure.postgres_payments import PostgresPayments
from lml_payments.infrastructure.stripe_gateway import StripeGateway
from lml_payments.infrastructure.stripe_webhooks import StripeWebhookVerifier

__all__ = [
    "PostgresInbox",
    "PostgresPayments",
    "StripeGateway",
    "StripeWebhookVerifier",
    "stored_event",
]
