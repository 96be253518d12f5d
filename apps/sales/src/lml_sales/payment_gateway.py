"""The payment gateway the configuration asks for, for the API and the worker alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from lml_config import Settings
from lml_payments.application import PaymentGateway
from lml_payments.fakes import FakeGateway
from lml_payments.infrastructure import StripeGateway


def payment_gateway(settings: Settings) -> PaymentGateway:
    """Stripe with a secret key; the fake gateway without one, which only development and
    tests can have (``lml_config`` refuses a production without a key). A
    ``StripeGateway`` holds connections: its owner closes it (``aclose``)."""
    if settings.uses_fake_gateway:
        return FakeGateway()
    assert settings.stripe_secret_key is not None
    return StripeGateway(
        settings.stripe_secret_key,
        api_base=settings.stripe_api_base,
        timeout_seconds=settings.stripe_timeout_seconds,
        max_network_retries=settings.stripe_max_network_retries,
    )


@asynccontextmanager
async def opened_payment_gateway(settings: Settings) -> AsyncIterator[PaymentGateway]:
    """``payment_gateway``, closed on the way out."""
    gateway = payment_gateway(settings)
    try:
        yield gateway
    finally:
        if isinstance(gateway, StripeGateway):
            await gateway.aclose()
