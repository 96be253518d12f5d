"""Test doubles for this package's ports, for any package's tests."""

from __future__ import annotations


class FakeClock:
    """A clock that stands still until told to move."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds
