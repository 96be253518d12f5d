"""Stripe's webhook signatures, checked by the library."""

from __future__ import annotations

from typing import Any

import msgspec
import stripe

from lml_payments.domain import SignatureRefused, StripeEvent
from lml_result import Err, Ok, Result

TOLERANCE_SECONDS = 300


class _Data(msgspec.Struct):
    object: dict[str, Any]


class _Delivered(msgspec.Struct):
    id: str
    type: str
    created: int
    data: _Data


class StripeWebhookVerifier:
    def __init__(self, secret: str, tolerance_seconds: int = TOLERANCE_SECONDS) -> None:
        self._secret = secret
        self._tolerance = tolerance_seconds

    def verify(
        self, payload: bytes, signature: str | None
    ) -> Result[StripeEvent, SignatureRefused]:
        try:
            stripe.WebhookSignature.verify_header(payload, signature, self._secret, self._tolerance)
        except stripe.SignatureVerificationError as error:
            return Err(SignatureRefused(str(error)))
        except UnicodeDecodeError:
            # The library signs the body as text; bytes that are not UTF-8 are nobody's event.
            return Err(SignatureRefused("the body is not UTF-8"))
        try:
            # Signed, so Stripe's; read by msgspec rather than the library's object graph.
            delivered = msgspec.json.decode(payload, type=_Delivered)
        except msgspec.DecodeError as error:
            return Err(SignatureRefused(f"signed payload is not a Stripe event: {error}"))
        return Ok(
            StripeEvent(
                id=delivered.id,
                type=delivered.type,
                created=delivered.created,
                object=dict(delivered.data.object),
            )
        )
