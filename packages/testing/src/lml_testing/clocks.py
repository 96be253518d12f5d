"""A clock a test moves by hand, for fakes that read a ``MonotonicClock``'s ``seconds()``."""

from __future__ import annotations


class ManualMonotonicClock:
    """Monotonic seconds that stand still until the test calls ``advance``."""

    def __init__(self, seconds: float = 1_000.0) -> None:
        self._seconds = seconds

    def seconds(self) -> float:
        return self._seconds

    def advance(self, seconds: float) -> None:
        self._seconds += seconds
