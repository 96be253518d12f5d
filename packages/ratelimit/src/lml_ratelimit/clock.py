"""Where the in-memory limiter reads the time, so tests can move it."""

from __future__ import annotations

import time
from typing import Protocol


class MonotonicClock(Protocol):
    def seconds(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...


class SystemMonotonicClock:
    def seconds(self) -> float:
        return time.monotonic()
