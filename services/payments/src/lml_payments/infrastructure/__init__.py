"""Infrastructure layer of the payments context: PostgreSQL and Stripe adapters."""

from lml_payments.infrastructure.postgres_inbox import PostgresInbox
from lml_payments.infrastructure.postgres_payments import PostgresPayments
from lml_payments.infrastructure.stripe_gateway import StripeGateway
from lml_payments.infrastructure.stripe_webhooks import StripeWebhookVerifier

__all__ = [
    "PostgresInbox",
    "PostgresPayments",
    "StripeGateway",
    "StripeWebhookVerifier",
]
