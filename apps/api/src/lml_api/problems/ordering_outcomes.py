"""Ordering's outcomes as Problem Details."""

from __future__ import annotations

import lml_ordering.domain as ordering
from lml_api.problems.errors import ProblemError
from lml_api.problems.table import ProblemTable, row

TOKEN_DETAILS = {
    "not_sent": "Send the hold's token as hold_token.",
    "wrong": "The hold token does not match this hold.",
}

ORDERING_PROBLEMS = ProblemTable(
    row(
        ordering.HoldNotFound,
        lambda e: ProblemError("not-found", f"There is no hold {e.hold_id!r}."),
    ),
    row(
        ordering.HoldTokenRefused,
        lambda e: ProblemError("precondition-failed", TOKEN_DETAILS[e.reason]),
    ),
    row(
        ordering.HoldExpired,
        lambda e: ProblemError(
            "hold-expired", f"Hold {e.hold_id!r} expired or was released; nothing was ordered."
        ),
    ),
    row(
        ordering.HoldAlreadyOrdered,
        lambda e: ProblemError("hold-converted", f"Hold {e.hold_id!r} is already an order."),
    ),
    row(
        ordering.OrderNotFound,
        lambda e: ProblemError("not-found", f"There is no order {e.order_id!r}."),
    ),
    row(
        ordering.TransitionRefused,
        lambda e: ProblemError(
            "order-status-conflict",
            f"Order {e.order_id!r} is {e.current.value}; it cannot become {e.target.value}.",
            order_status=e.current.value,
        ),
    ),
)
