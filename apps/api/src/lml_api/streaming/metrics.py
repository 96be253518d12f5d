"""What the availability stream reports: deliveries, their lag, resyncs, tickets."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from prometheus_client import Counter, Histogram

from lml_metrics import REGISTRY

if TYPE_CHECKING:
    from lml_api.streaming.hub import Frame

DELIVERED = Counter(
    "lml_availability_events_delivered_total",
    "Availability events written to subscribers (an event sent to n subscribers counts n).",
    registry=REGISTRY,
)
LAG = Histogram(
    "lml_availability_delivery_lag_seconds",
    "From an event's publication (its stream id's time, Redis's clock) to its write to a"
    " subscriber, for the oldest event of each write (of each frame's fan-out, once it is"
    " done, where the reader writes straight to the connections).",
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RESYNCS = Counter(
    "lml_availability_resyncs_total",
    "Clients told to resynchronise from a snapshot, by why.",
    ("reason",),
    registry=REGISTRY,
)
TICKETS = Counter(
    "lml_availability_read_tickets_total",
    "Read tickets issued, and refused when presented.",
    ("outcome",),
    registry=REGISTRY,
)


def delivered(frame: Frame, events: int | None = None) -> None:
    """``events`` written (by default the frame's, to one subscriber)."""
    DELIVERED.inc(len(frame.events) if events is None else events)
    LAG.observe(max(0.0, time.time() - frame.first[0] / 1000))
