"""Several API instances on one Redis spend one budget."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from lml_ratelimit import Algorithm, Policy, RedisRateLimiter, rate_limit_key

pytestmark = pytest.mark.integration

KEY = rate_limit_key("org", "org_1", "/v1/holds", "POST")


@pytest.fixture
async def second_client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.mark.parametrize("algorithm", list(Algorithm))
async def test_given_two_instances_when_both_spend_then_they_share_one_budget(
    redis_client: redis.asyncio.Redis,
    second_client: redis.asyncio.Redis,
    redis_key_prefix: str,
    algorithm: Algorithm,
) -> None:
    policy = Policy("holds", quota=4, window_seconds=60, algorithm=algorithm)
    first = RedisRateLimiter(redis_client, prefix=redis_key_prefix)
    second = RedisRateLimiter(second_client, prefix=redis_key_prefix)

    remaining = [
        (await limiter.hit(KEY, policy)).remaining for limiter in (first, second, first, second)
    ]

    assert remaining == [3, 2, 1, 0]
    assert not (await second.hit(KEY, policy)).allowed


async def test_the_counters_live_under_the_prefix_and_expire(
    redis_client: redis.asyncio.Redis, redis_key_prefix: str
) -> None:
    policy = Policy("holds", quota=4, window_seconds=60)

    await RedisRateLimiter(redis_client, prefix=redis_key_prefix).hit(KEY, policy)

    ttl = await redis_client.pttl(f"{redis_key_prefix}:rl:sliding_window:{KEY}")
    assert 60_000 < ttl <= 120_000
