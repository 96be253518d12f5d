"""What the Redis limiter refuses up front, and how it reports an unreachable server."""

from __future__ import annotations

import pytest
import redis.asyncio

from lml_ratelimit import Policy, RedisRateLimiter
from lml_result import DependencyUnavailable

POLICY = Policy("default", quota=10, window_seconds=60)


async def test_given_redis_unreachable_when_hit_then_redis_is_reported_unavailable(
    unreachable_redis: redis.asyncio.Redis,
) -> None:
    limiter = RedisRateLimiter(unreachable_redis, prefix="lml")

    with pytest.raises(DependencyUnavailable) as raised:
        await limiter.hit("{ip:127.0.0.1}:/v1/x:GET", POLICY)

    assert raised.value.dependency == "redis"


@pytest.mark.parametrize("prefix", ["", "{lml}", "lml rl"])
async def test_given_a_prefix_redis_cluster_would_misread_then_the_limiter_refuses_it(
    unreachable_redis: redis.asyncio.Redis, prefix: str
) -> None:
    with pytest.raises(ValueError, match="prefix"):
        RedisRateLimiter(unreachable_redis, prefix=prefix)
