"""Fakes of every payments port: a deterministic gateway, Stripe-signed events, memory."""

from lml_payments.fakes.gateway import FakeGateway, fake_intent_id, signed_event, stripe_signature
from lml_payments.fakes.memory import InMemoryInbox, InMemoryPayments

__all__ = [
    "FakeGateway",
    "InMemoryInbox",
    "InMemoryPayments",
    "fake_intent_id",
    "signed_event",
    "stripe_signature",
]
