"""Why a payment request was refused or could not be made: returned as ``Err`` values."""

from __future__ import annotations

import msgspec


class GatewayUnavailable(msgspec.Struct, frozen=True):
    """Stripe could not be reached or answered with a fault of its own (timeout, connection
    error, 5xx, rate limited): trying again later may work."""

    reason: str


class GatewayRefused(msgspec.Struct, frozen=True):
    """Stripe refused the request (a 4xx or a card error): trying again will not help."""

    code: str | None
    message: str


GatewayError = GatewayUnavailable | GatewayRefused


class SignatureRefused(msgspec.Struct, frozen=True):
    """A webhook delivery whose ``Stripe-Signature`` is missing, wrong or stale."""

    reason: str


class OrderNotPayable(msgspec.Struct, frozen=True):
    """The order is no longer pending: it cannot be paid for."""

    order_id: str
