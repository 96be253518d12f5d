"""What the Redis limiter refuses up front, and how it reports an unreachable server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from lml_ratelimit import Policy, RedisRateLimiter
from lml_result import DependencyUnavailable

# Nothing listens on port 1, so connecting fails at once.
UNREACHABLE_URL = "redis://127.0.0.1:1/0"
POLICY = Policy("default", quota=10, window_seconds=60)


@pytest.fixture
async def unreachable() -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(UNREACHABLE_URL, socket_connect_timeout=1)
    yield client
    await client.aclose()


async def test_given_redis_unreachable_when_hit_then_redis_is_reported_unavailable(
    unreachable: redis.asyncio.Redis,
) -> None:
    limiter = RedisRateLimiter(unreachable, prefix="lml")

    with pytest.raises(DependencyUnavailable) as raised:
        await limiter.hit("{ip:127.0.0.1}:/v1/x:GET", POLICY)

    assert raised.value.dependency == "redis"


@pytest.mark.parametrize("prefix", ["", "{lml}", "lml rl"])
async def test_given_a_prefix_redis_cluster_would_misread_then_the_limiter_refuses_it(
    unreachable: redis.asyncio.Redis, prefix: str
) -> None:
    with pytest.raises(ValueError, match="prefix"):
        RedisRateLimiter(unreachable, prefix=prefix)
