"""Test doubles for this package's ports, for any package's tests."""

from __future__ import annotations


class FakeEpochClock:
    """An epoch clock that stands still until told to move."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    def seconds(self) -> float:
        return self._seconds

    def advance(self, seconds: float) -> None:
        self._seconds += seconds
