"""Payments' outcomes as Problem Details."""

from __future__ import annotations

import lml_payments.domain as payments
from lml_api.problems.errors import ProblemError
from lml_api.problems.table import ProblemTable, row

RETRY_AFTER_SECONDS = "5"

PAYMENTS_PROBLEMS = ProblemTable(
    row(
        payments.OrderNotPayable,
        lambda e: ProblemError(
            "order-not-payable", f"Order {e.order_id!r} is not pending; it cannot be paid for."
        ),
    ),
    row(
        payments.GatewayUnavailable,
        lambda e: ProblemError(
            "dependency-unavailable",
            "stripe is unavailable; retry shortly.",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
            dependency="stripe",
        ),
    ),
    row(
        payments.GatewayRefused,
        lambda e: ProblemError("payment-refused", e.message, provider_code=e.code),
    ),
    row(
        payments.SignatureRefused,
        lambda e: ProblemError("invalid-signature", "The Stripe-Signature was refused."),
    ),
)
