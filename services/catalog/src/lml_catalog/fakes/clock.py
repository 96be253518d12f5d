"""A clock for tests: each reading is one second after the last, so items get distinct times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 1, 1, tzinfo=UTC)


class SteppingClock:
    def __init__(self, start: datetime = START) -> None:
        self._next = start

    def now(self) -> datetime:
        current = self._next
        self._next += timedelta(seconds=1)
        return current
