"""The limiter the API calls: counts decisions and applies the failure policy.

When Redis cannot be reached a policy either lets requests through (fail open:
availability over strictness, right for most reads) or turns them away (fail
closed: right where an unthrottled flood does harm, such as password guessing
at the token endpoint).
"""

from __future__ import annotations

import logging

from prometheus_client import Counter

from lml_metrics import REGISTRY
from lml_ratelimit.policy import Decision, FailurePolicy, Policy
from lml_ratelimit.ports import RateLimiter
from lml_result import DependencyUnavailable

logger = logging.getLogger(__name__)

DECISIONS = Counter(
    "lml_ratelimit_decisions_total",
    "Rate-limit decisions, by policy and outcome (allowed or denied).",
    ("policy", "outcome"),
    registry=REGISTRY,
)
BACKEND_ERRORS = Counter(
    "lml_ratelimit_backend_errors_total",
    "Rate-limit checks answered by the failure policy because Redis was unreachable.",
    ("policy",),
    registry=REGISTRY,
)


class GuardedRateLimiter:
    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter

    async def hit(self, key: str, policy: Policy, cost: int = 1) -> Decision:
        try:
            decision = await self._limiter.hit(key, policy, cost)
        except DependencyUnavailable as error:
            BACKEND_ERRORS.labels(policy.name).inc()
            logger.warning(
                "rate limiting unavailable, failing %s for policy %r: %s",
                policy.on_backend_error.value,
                policy.name,
                error,
            )
            decision = _without_counters(policy, cost)
        DECISIONS.labels(policy.name, "allowed" if decision.allowed else "denied").inc()
        return decision


def _without_counters(policy: Policy, cost: int) -> Decision:
    """A decision made without the counters: all of the budget, or none of it for a window."""
    window = float(policy.window_seconds)
    if policy.on_backend_error is FailurePolicy.OPEN:
        return Decision(True, policy.quota, policy.quota - cost, window, 0.0)
    return Decision(False, policy.quota, 0, window, window)
