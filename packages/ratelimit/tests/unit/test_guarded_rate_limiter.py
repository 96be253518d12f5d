"""Decisions counted, and what the limiter answers when Redis is down."""

from __future__ import annotations

import logging

import pytest

from lml_metrics import REGISTRY
from lml_ratelimit import (
    Decision,
    FailurePolicy,
    GuardedRateLimiter,
    InMemoryRateLimiter,
    Policy,
)
from lml_result import DependencyUnavailable

KEY = "{org:org_1}:/v1/holds:POST"
OPEN = Policy("guarded reads", quota=10, window_seconds=60)
CLOSED = Policy("guarded token", quota=10, window_seconds=60, on_backend_error=FailurePolicy.CLOSED)


class UnreachableLimiter:
    async def hit(self, key: str, policy: Policy, cost: int = 1) -> Decision:
        raise DependencyUnavailable("redis", "connection refused")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_given_redis_down_and_a_fail_open_policy_then_the_request_is_allowed() -> None:
    decision = await GuardedRateLimiter(UnreachableLimiter()).hit(KEY, OPEN)

    assert decision == Decision(
        allowed=True, limit=10, remaining=9, reset_seconds=60.0, retry_after_seconds=0.0
    )


async def test_given_redis_down_and_a_fail_closed_policy_then_the_request_waits_a_window() -> None:
    decision = await GuardedRateLimiter(UnreachableLimiter()).hit(KEY, CLOSED)

    assert decision == Decision(
        allowed=False, limit=10, remaining=0, reset_seconds=60.0, retry_after_seconds=60.0
    )


async def test_given_redis_down_then_the_error_is_counted_and_logged_on_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = sample("lml_ratelimit_backend_errors_total", policy=CLOSED.name)

    with caplog.at_level(logging.WARNING, logger="lml_ratelimit"):
        await GuardedRateLimiter(UnreachableLimiter()).hit(KEY, CLOSED)

    assert sample("lml_ratelimit_backend_errors_total", policy=CLOSED.name) == before + 1
    (record,) = caplog.records
    assert "failing closed" in record.getMessage()
    assert "\n" not in record.getMessage()
    assert record.exc_info is None


async def test_every_decision_is_counted_by_policy_and_outcome() -> None:
    policy = Policy("guarded counted", quota=1, window_seconds=60)
    limiter = GuardedRateLimiter(InMemoryRateLimiter())
    allowed_before = sample("lml_ratelimit_decisions_total", policy=policy.name, outcome="allowed")
    denied_before = sample("lml_ratelimit_decisions_total", policy=policy.name, outcome="denied")

    await limiter.hit(KEY, policy)
    await limiter.hit(KEY, policy)

    assert (
        sample("lml_ratelimit_decisions_total", policy=policy.name, outcome="allowed")
        == allowed_before + 1
    )
    assert (
        sample("lml_ratelimit_decisions_total", policy=policy.name, outcome="denied")
        == denied_before + 1
    )


async def test_a_cost_outside_the_quota_is_still_a_bug() -> None:
    with pytest.raises(ValueError, match="cost"):
        await GuardedRateLimiter(InMemoryRateLimiter()).hit(KEY, OPEN, cost=11)
