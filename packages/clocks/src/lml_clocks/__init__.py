"""Where the product reads the time, one clock per kind of time, so tests can set each.

A monotonic clock measures durations (the in-memory stores' expiries), an epoch clock
gives Unix seconds (token claims ``iat`` and ``exp`` are epoch times), and the UTC wall
clock stamps domain facts (a hold's expiry, an order's creation).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class MonotonicClock(Protocol):
    def seconds(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...


class SystemMonotonicClock:
    def seconds(self) -> float:
        return time.monotonic()


class EpochClock(Protocol):
    def seconds(self) -> float:
        """Seconds since the Unix epoch."""
        ...


class SystemEpochClock:
    def seconds(self) -> float:
        return time.time()


class SystemClock:
    """The wall clock, timezone-aware in UTC: what every service's ``Clock`` port reads."""

    def now(self) -> datetime:
        return datetime.now(UTC)


__all__ = [
    "EpochClock",
    "MonotonicClock",
    "SystemClock",
    "SystemEpochClock",
    "SystemMonotonicClock",
]
