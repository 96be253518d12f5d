"""The payments context's adapters, as the app hands them to the use cases."""

from __future__ import annotations

from dataclasses import dataclass

from lml_config import Settings
from lml_payments.application import Inbox, PaymentGateway, Payments, WebhookVerifier
from lml_payments.infrastructure.postgres_inbox import PostgresInbox
from lml_payments.infrastructure.postgres_payments import PostgresPayments
from lml_payments.infrastructure.stripe_webhooks import StripeWebhookVerifier
from lml_postgres import AppPool


@dataclass(frozen=True)
class PaymentsAdapters:
    gateway: PaymentGateway
    verifier: WebhookVerifier
    payments: Payments
    inbox: Inbox
    webhook_secret: str


def postgres_payments(
    pool: AppPool, settings: Settings, gateway: PaymentGateway
) -> PaymentsAdapters:
    return PaymentsAdapters(
        gateway=gateway,
        verifier=StripeWebhookVerifier(settings.stripe_webhook_secret),
        payments=PostgresPayments(pool, pool),
        inbox=PostgresInbox(pool),
        webhook_secret=settings.stripe_webhook_secret,
    )
