"""An in-memory rate limiter that passes the same contract suite as Redis."""

from __future__ import annotations

from lml_clocks import MonotonicClock, SystemMonotonicClock
from lml_ratelimit.algorithms import MICROS, WindowCounts, sliding_window, token_bucket
from lml_ratelimit.policy import Algorithm, Decision, Policy


class InMemoryRateLimiter:
    def __init__(self, clock: MonotonicClock | None = None) -> None:
        self._clock = clock or SystemMonotonicClock()
        self._windows: dict[str, WindowCounts] = {}
        self._arrivals: dict[str, int] = {}

    async def hit(self, key: str, policy: Policy, cost: int = 1) -> Decision:
        policy.check_cost(cost)
        now = round(self._clock.seconds() * MICROS)
        window = policy.window_seconds * MICROS
        if policy.algorithm is Algorithm.SLIDING_WINDOW:
            counts, step = sliding_window(self._windows.get(key), now, policy.quota, window, cost)
            if counts is not None:
                self._windows[key] = counts
        else:
            arrival, step = token_bucket(self._arrivals.get(key), now, policy.quota, window, cost)
            if arrival is not None:
                self._arrivals[key] = arrival
        return step.decision(policy)
