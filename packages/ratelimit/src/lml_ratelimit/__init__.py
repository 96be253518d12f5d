"""Distributed rate limits: budgets from configuration, counters in Redis, response headers.

A middleware uses it in a few lines::

    policy = budgets.policy_for(method, route_template)
    decision = await limiter.hit(rate_limit_key("org", org_id, route_template, method), policy)
    headers = rate_limit_headers(policy, decision)  # on every limited response
    if not decision.allowed: ...  # 429 rate-limited, with those headers

with ``limiter = GuardedRateLimiter(RedisRateLimiter(client, prefix=...))``.
"""

from typing import TYPE_CHECKING

from lml_clocks import MonotonicClock, SystemMonotonicClock
from lml_ratelimit.budgets import DEFAULT_BUDGETS, Budgets, InvalidBudgets
from lml_ratelimit.fakes import InMemoryRateLimiter
from lml_ratelimit.guarded import GuardedRateLimiter
from lml_ratelimit.headers import rate_limit_headers
from lml_ratelimit.keys import KeyKind, rate_limit_key
from lml_ratelimit.policy import Algorithm, Decision, FailurePolicy, Policy
from lml_ratelimit.ports import RateLimiter
from lml_ratelimit.redis_limiter import RedisRateLimiter

if TYPE_CHECKING:

    def _every_limiter_fits_the_port(
        memory: InMemoryRateLimiter, redis: RedisRateLimiter, guarded: GuardedRateLimiter
    ) -> list[RateLimiter]:
        return [memory, redis, guarded]


__all__ = [
    "DEFAULT_BUDGETS",
    "Algorithm",
    "Budgets",
    "Decision",
    "FailurePolicy",
    "GuardedRateLimiter",
    "InMemoryRateLimiter",
    "InvalidBudgets",
    "KeyKind",
    "MonotonicClock",
    "Policy",
    "RateLimiter",
    "RedisRateLimiter",
    "SystemMonotonicClock",
    "rate_limit_headers",
    "rate_limit_key",
]
