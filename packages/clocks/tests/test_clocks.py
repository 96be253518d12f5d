"""The system clocks read the kinds of time their protocols promise."""

from __future__ import annotations

import time
from datetime import UTC

from lml_clocks import SystemClock, SystemEpochClock, SystemMonotonicClock


def test_given_the_wall_clock_when_read_then_it_is_timezone_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == UTC.utcoffset(None)


def test_given_the_epoch_clock_when_read_then_it_gives_unix_seconds() -> None:
    before = time.time()
    reading = SystemEpochClock().seconds()
    assert before <= reading <= time.time()


def test_given_the_monotonic_clock_when_read_twice_then_it_never_goes_back() -> None:
    clock = SystemMonotonicClock()
    first = clock.seconds()
    assert clock.seconds() >= first
