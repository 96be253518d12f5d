"""Where token code reads the time, so tests can set it."""

from __future__ import annotations

import time
from typing import Protocol


class EpochClock(Protocol):
    def seconds(self) -> float:
        """Seconds since the Unix epoch: token claims (``iat``, ``exp``) are epoch times."""
        ...


class SystemEpochClock:
    def seconds(self) -> float:
        return time.time()
