"""A clock a test moves by hand, for fakes that read ``now()`` as seconds."""

from __future__ import annotations


class ManualClock:
    """Monotonic seconds that stand still until the test calls ``advance``."""

    def __init__(self, now: float = 1_000.0) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds
