"""The rate limiter contract, run against the in-memory fake and Redis, for each algorithm."""

from __future__ import annotations

from typing import Any

import pytest

from lml_ratelimit import Algorithm, Policy, RateLimiter, rate_limit_key

QUOTA = 3
WINDOW = 1
KEY = rate_limit_key("org", "org_1", "/v1/holds", "POST")


@pytest.fixture(params=list(Algorithm))
def policy(request: pytest.FixtureRequest) -> Policy:
    return Policy("holds", QUOTA, WINDOW, request.param)


async def exhaust(limiter: RateLimiter, policy: Policy, key: str = KEY) -> None:
    for _ in range(policy.quota):
        assert (await limiter.hit(key, policy)).allowed


async def test_given_a_fresh_key_then_each_hit_leaves_exactly_one_less(
    limiter: RateLimiter, policy: Policy
) -> None:
    remaining = [(await limiter.hit(KEY, policy)).remaining for _ in range(QUOTA)]

    assert remaining == [2, 1, 0]


async def test_given_a_fresh_key_then_a_hit_is_allowed_and_reports_the_limit(
    limiter: RateLimiter, policy: Policy
) -> None:
    decision = await limiter.hit(KEY, policy)

    assert decision.allowed
    assert decision.limit == QUOTA
    assert decision.retry_after_seconds == 0


async def test_given_an_exhausted_budget_then_the_next_hit_is_denied_with_a_retry_delay(
    limiter: RateLimiter, policy: Policy
) -> None:
    await exhaust(limiter, policy)

    decision = await limiter.hit(KEY, policy)

    assert not decision.allowed
    assert decision.remaining == 0
    assert 0 < decision.retry_after_seconds <= 2 * WINDOW


async def test_given_an_exhausted_budget_then_denied_hits_spend_nothing(
    limiter: RateLimiter, policy: Policy
) -> None:
    await exhaust(limiter, policy)
    first = await limiter.hit(KEY, policy)

    for _ in range(5):
        later = await limiter.hit(KEY, policy)

    assert later.retry_after_seconds <= first.retry_after_seconds


async def test_given_a_denied_hit_when_its_retry_delay_passes_then_a_hit_is_allowed(
    harness: Any, policy: Policy
) -> None:
    await exhaust(harness.limiter, policy)
    denied = await harness.limiter.hit(KEY, policy)

    await harness.let_pass(denied.retry_after_seconds)

    assert (await harness.limiter.hit(KEY, policy)).allowed


async def test_given_a_denied_hit_when_half_its_retry_delay_passes_then_hits_are_still_denied(
    harness: Any, policy: Policy
) -> None:
    await exhaust(harness.limiter, policy)
    denied = await harness.limiter.hit(KEY, policy)

    await harness.let_pass(denied.retry_after_seconds / 2)

    assert not (await harness.limiter.hit(KEY, policy)).allowed


async def test_given_a_used_budget_when_its_reset_delay_passes_then_the_whole_quota_is_back(
    harness: Any, policy: Policy
) -> None:
    await exhaust(harness.limiter, policy)
    last = await harness.limiter.hit(KEY, policy)

    await harness.let_pass(last.reset_seconds)

    assert (await harness.limiter.hit(KEY, policy)).remaining == QUOTA - 1


async def test_given_one_hit_then_the_reset_delay_is_within_two_windows(
    limiter: RateLimiter, policy: Policy
) -> None:
    decision = await limiter.hit(KEY, policy)

    assert 0 < decision.reset_seconds <= 2 * WINDOW


async def test_given_an_exhausted_key_then_another_key_has_its_own_budget(
    limiter: RateLimiter, policy: Policy
) -> None:
    await exhaust(limiter, policy)

    other = await limiter.hit(rate_limit_key("org", "org_2", "/v1/holds", "POST"), policy)

    assert other.allowed
    assert other.remaining == QUOTA - 1


async def test_given_an_exhausted_key_then_the_other_algorithm_counts_it_apart(
    limiter: RateLimiter, policy: Policy
) -> None:
    await exhaust(limiter, policy)
    (other_algorithm,) = set(Algorithm) - {policy.algorithm}

    decision = await limiter.hit(KEY, Policy("holds", QUOTA, WINDOW, other_algorithm))

    assert decision.allowed


async def test_given_a_costly_request_then_it_spends_its_cost(
    limiter: RateLimiter, policy: Policy
) -> None:
    assert (await limiter.hit(KEY, policy, cost=2)).remaining == 1
    assert not (await limiter.hit(KEY, policy, cost=2)).allowed
    assert (await limiter.hit(KEY, policy, cost=1)).remaining == 0


@pytest.mark.parametrize("cost", [0, -1, QUOTA + 1])
async def test_given_a_cost_outside_one_to_the_quota_then_it_is_a_bug(
    limiter: RateLimiter, policy: Policy, cost: int
) -> None:
    with pytest.raises(ValueError, match="cost"):
        await limiter.hit(KEY, policy, cost=cost)
