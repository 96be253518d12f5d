"""The rate limiter port."""

from __future__ import annotations

from typing import Protocol

from lml_ratelimit.policy import Decision, Policy


class RateLimiter(Protocol):
    async def hit(self, key: str, policy: Policy, cost: int = 1) -> Decision:
        """Spend ``cost`` of the budget under ``key`` if it has room; a denied hit spends nothing.

        Budgets are kept per key and algorithm. Raises ``ValueError`` for a cost
        outside 1..quota, and ``lml_result.DependencyUnavailable`` when the
        counters cannot be reached.
        """
        ...
