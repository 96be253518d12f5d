"""The payment gateway on Stripe, through the official library's async calls."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

import stripe

from lml_payments.domain import GatewayError, GatewayRefused, GatewayUnavailable, PaymentIntent
from lml_result import Err, Ok, Result

T = TypeVar("T")


class StripeGateway:
    """Retries (connection errors, 409, 5xx; the library waits between them and sends the
    same idempotency key) and timeouts are the library's own."""

    def __init__(
        self,
        secret_key: str,
        *,
        api_base: str | None = None,
        timeout_seconds: float = 10.0,
        max_network_retries: int = 2,
    ) -> None:
        self._http = stripe.HTTPXClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=self._http,
        )

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create_intent(
        self, *, org_id: str, order_id: str, amount: int, currency: str
    ) -> Result[PaymentIntent, GatewayError]:
        return await _called(
            self._client.v1.payment_intents.create_async(
                {
                    "amount": amount,
                    "currency": currency.lower(),
                    "metadata": {"order_id": order_id, "tenant_id": org_id},
                    "automatic_payment_methods": {"enabled": True},
                },
                {"idempotency_key": order_id},
            ),
            _intent,
        )

    async def retrieve_intent(self, intent_id: str) -> Result[PaymentIntent, GatewayError]:
        return await _called(self._client.v1.payment_intents.retrieve_async(intent_id), _intent)

    async def refund(self, *, intent_id: str, order_id: str) -> Result[str, GatewayError]:
        return await _called(
            self._client.v1.refunds.create_async(
                {"payment_intent": intent_id, "metadata": {"order_id": order_id}},
                {"idempotency_key": f"refund-{order_id}"},
            ),
            lambda refund: str(refund.id),
        )


def _intent(intent: stripe.PaymentIntent) -> PaymentIntent:
    return PaymentIntent(
        intent_id=intent.id,
        client_secret=intent.client_secret or "",
        amount=intent.amount,
        currency=intent.currency.upper(),
        status=intent.status,
    )


async def _called(call: Awaitable[Any], convert: Any) -> Result[Any, GatewayError]:
    try:
        return Ok(convert(await call))
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        return Err(GatewayUnavailable(_reason(error)))
    except (
        stripe.CardError,
        stripe.InvalidRequestError,
        stripe.AuthenticationError,
        stripe.PermissionError,
        stripe.IdempotencyError,
    ) as error:
        return Err(GatewayRefused(error.code, error.user_message or str(error)))
    except stripe.StripeError as error:
        # APIError and any status the library has no class for: Stripe's fault, not ours.
        return Err(GatewayUnavailable(_reason(error)))


def _reason(error: stripe.StripeError) -> str:
    status = "" if error.http_status is None else f"{error.http_status} "
    return f"{status}{type(error).__name__}: {error.user_message or error}"
