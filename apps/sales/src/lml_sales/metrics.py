"""What the sale reports on ``/metrics``, in the API and the worker alike."""

from __future__ import annotations

from prometheus_client import Counter

from lml_metrics import REGISTRY

ORDER_TRANSITIONS = Counter(
    "lml_order_transitions",
    "Order status transitions committed, by from and to status (from 'none': created).",
    ("from_status", "to_status"),
    registry=REGISTRY,
)
LATE_PAYMENTS = Counter(
    "lml_late_payments",
    "Payments that succeeded after their order had ended unpaid: flagged for a refund.",
    registry=REGISTRY,
)
