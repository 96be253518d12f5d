"""Stripe intents and the webhook inbox: payments of orders."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lml_payments.application import Inbox, PaymentGateway, Payments, WebhookVerifier
    from lml_payments.fakes import FakeGateway, InMemoryInbox, InMemoryPayments
    from lml_payments.infrastructure import (
        PostgresInbox,
        PostgresPayments,
        StripeGateway,
        StripeWebhookVerifier,
    )

    def _every_adapter_fits_its_port(
        fake_gateway: FakeGateway,
        stripe_gateway: StripeGateway,
        verifier: StripeWebhookVerifier,
        memory_payments: InMemoryPayments,
        postgres_payments: PostgresPayments,
        memory_inbox: InMemoryInbox,
        postgres_inbox: PostgresInbox,
    ) -> tuple[list[PaymentGateway], list[WebhookVerifier], list[Payments], list[Inbox]]:
        return (
            [fake_gateway, stripe_gateway],
            [verifier],
            [memory_payments, postgres_payments],
            [memory_inbox, postgres_inbox],
        )
