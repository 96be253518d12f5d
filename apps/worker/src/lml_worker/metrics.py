"""What the worker reports on ``/metrics``: job runs and dependency reachability."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from lml_metrics import REGISTRY

JOB_RUNS = Counter(
    "lml_worker_job_runs",
    "Periodic job runs, by job and outcome (success or failure).",
    ("job", "outcome"),
    registry=REGISTRY,
)
JOB_SECONDS = Histogram(
    "lml_worker_job_duration_seconds",
    "Time one run of a periodic job took, failed runs included.",
    ("job",),
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
DEPENDENCY_UP = Gauge(
    "lml_dependency_up",
    "1 when the dependency answered the worker's last probe, else 0.",
    ("dependency",),
    registry=REGISTRY,
)
OUTBOX_HANDLED = Counter(
    "lml_outbox_messages",
    "Outbox rows handled, by topic (a Stripe event's type for stripe.event) and outcome"
    " (processed, failed: to be retried, dead: out of attempts).",
    ("topic", "outcome"),
    registry=REGISTRY,
)
OUTBOX_LAG = Gauge(
    "lml_outbox_lag_seconds",
    "Age of the oldest outbox row not yet processed (0 when none), as of the last run.",
    registry=REGISTRY,
)
OUTBOX_IN_FLIGHT = Gauge(
    "lml_outbox_in_flight",
    "Outbox rows being handled by this worker right now.",
    registry=REGISTRY,
)
