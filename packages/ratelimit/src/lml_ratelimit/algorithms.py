"""The two counting rules in integer microseconds, for the in-memory limiter.

``scripts/*.lua`` run the same arithmetic inside Redis, step for step, so the
fake and Redis give the same answers; the contract suite holds them to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from lml_ratelimit.policy import Decision, Policy

MICROS = 1_000_000

# (window index, count in that window, count in the window before)
WindowCounts: TypeAlias = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Step:
    allowed: bool
    remaining: int
    reset_micros: int
    retry_after_micros: int

    def decision(self, policy: Policy) -> Decision:
        return Decision(
            allowed=self.allowed,
            limit=policy.quota,
            remaining=self.remaining,
            reset_seconds=self.reset_micros / MICROS,
            retry_after_seconds=self.retry_after_micros / MICROS,
        )


def sliding_window(
    counts: WindowCounts | None, now: int, quota: int, window: int, cost: int
) -> tuple[WindowCounts | None, Step]:
    """Sliding window counter: this window's count plus the overlapping share of the last."""
    index, elapsed = divmod(now, window)
    current, previous = 0, 0
    if counts is not None:
        stored_index, stored_current, stored_previous = counts
        if stored_index == index:
            current, previous = stored_current, stored_previous
        elif stored_index == index - 1:
            previous = stored_current
    used = _ceil_div(previous * (window - elapsed), window) + current
    allowed = used + cost <= quota
    if allowed:
        current += cost
        used += cost
        counts, retry_after = (index, current, previous), 0
    else:
        retry_after = _wait_for_room(quota, window, cost, current, previous, elapsed)
    if current > 0:
        reset = 2 * window - elapsed
    elif previous > 0:
        reset = window - elapsed
    else:
        reset = 0
    return counts, Step(allowed, max(quota - used, 0), reset, retry_after)


def _wait_for_room(
    quota: int, window: int, cost: int, current: int, previous: int, elapsed: int
) -> int:
    room = quota - current - cost
    if room >= 0 and previous > 0:
        # ceil(previous * (window - t) / window) <= room  <=>  t >= at
        at = window - room * window // previous
        if at < window:
            return at - elapsed
    # From the next window on, this window's count is the one that fades out.
    if current == 0:
        return window - elapsed
    at = window - (quota - cost) * window // current
    if at < window:
        return window - elapsed + at
    return 2 * window - elapsed


def token_bucket(
    theoretical_arrival: int | None, now: int, quota: int, window: int, cost: int
) -> tuple[int | None, Step]:
    """GCRA: a bucket of ``quota`` tokens, one back every ``ceil(window / quota)`` µs."""
    interval = _ceil_div(window, quota)
    capacity = quota * interval
    span = max((now if theoretical_arrival is None else theoretical_arrival) - now, 0)
    needed = span + cost * interval
    if needed <= capacity:
        return now + needed, Step(True, (capacity - needed) // interval, needed, 0)
    return theoretical_arrival, Step(False, (capacity - span) // interval, span, needed - capacity)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)
