"""Application layer of the payments context: use cases and their ports."""

from lml_payments.application.ports import Inbox, PaymentGateway, Payments, WebhookVerifier
from lml_payments.application.receive_webhook import Received, receive_webhook
from lml_payments.application.start_payment import start_payment

__all__ = [
    "Inbox",
    "PaymentGateway",
    "Payments",
    "Received",
    "WebhookVerifier",
    "receive_webhook",
    "start_payment",
]
