"""A payment gateway that needs no Stripe: stateless and deterministic, so every API
process (and the bench) derives the same intent and client secret for an order."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from lml_payments.domain import GatewayError, PaymentIntent
from lml_result import Ok, Result

FAKE_INTENT_PREFIX = "pi_fake_"
# Client secrets are derived, not random, so that two processes agree; the key only
# keeps them from being the intent id in another form.
_SECRET_KEY = b"lml-fake-gateway"


# The intent's status as Stripe reports it with each event.
INTENT_STATUS = {
    "payment_intent.succeeded": "succeeded",
    "payment_intent.processing": "processing",
    "payment_intent.payment_failed": "requires_payment_method",
}


def fake_intent_id(order_id: str) -> str:
    return FAKE_INTENT_PREFIX + hashlib.sha256(order_id.encode()).hexdigest()[:24]


def _client_secret(intent_id: str) -> str:
    digest = hmac.new(_SECRET_KEY, intent_id.encode(), hashlib.sha256).hexdigest()[:24]
    return f"{intent_id}_secret_{digest}"


class FakeGateway:
    """Keeps nothing, so ``retrieve_intent`` knows no amount (0, no currency): the payment
    row has it."""

    async def create_intent(
        self, *, org_id: str, order_id: str, amount: int, currency: str
    ) -> Result[PaymentIntent, GatewayError]:
        return Ok(self._intent(fake_intent_id(order_id), amount, currency))

    async def retrieve_intent(self, intent_id: str) -> Result[PaymentIntent, GatewayError]:
        return Ok(self._intent(intent_id, 0, ""))

    async def refund(self, *, intent_id: str, order_id: str) -> Result[str, GatewayError]:
        return Ok("re_fake_" + hashlib.sha256(f"refund-{order_id}".encode()).hexdigest()[:24])

    @staticmethod
    def _intent(intent_id: str, amount: int, currency: str) -> PaymentIntent:
        return PaymentIntent(
            intent_id=intent_id,
            client_secret=_client_secret(intent_id),
            amount=amount,
            currency=currency,
            status="requires_payment_method",
        )


def signed_event(
    secret: str,
    type: str,
    *,
    intent_id: str,
    org_id: str,
    order_id: str,
    amount: int,
    currency: str,
    event_id: str | None = None,
    at: int | None = None,
) -> tuple[bytes, str]:
    """A Stripe-shaped event of ``type`` about the intent, and its ``Stripe-Signature``
    header, signed as Stripe signs: ``t=<unix time>,v1=<HMAC-SHA256(secret, "t.payload")>``.
    A ``charge.*`` event's object is a charge of the intent, without metadata, as Stripe's."""
    created = int(time.time()) if at is None else at
    metadata = {"order_id": order_id, "tenant_id": org_id}
    if type.startswith("charge."):
        obj: dict[str, object] = {
            "id": "ch_fake_" + intent_id.removeprefix(FAKE_INTENT_PREFIX),
            "object": "charge",
            "payment_intent": intent_id,
            "amount": amount,
            "amount_refunded": amount if type == "charge.refunded" else 0,
            "currency": currency.lower(),
            "refunded": type == "charge.refunded",
            "metadata": {},
        }
    else:
        obj = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "currency": currency.lower(),
            "status": INTENT_STATUS.get(type, "requires_payment_method"),
            "metadata": metadata,
        }
        if type == "payment_intent.payment_failed":
            obj["last_payment_error"] = {"code": "card_declined", "message": "Declined."}
    event = {
        "id": event_id or f"evt_fake_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2025-01-27",
        "created": created,
        "type": type,
        "livemode": False,
        "data": {"object": obj},
    }
    payload = json.dumps(event, separators=(",", ":")).encode()
    return payload, stripe_signature(secret, payload, created)


def stripe_signature(secret: str, payload: bytes, at: int) -> str:
    signed = f"{at}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"
