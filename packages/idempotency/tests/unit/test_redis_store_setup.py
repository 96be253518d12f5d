"""What the Redis store refuses up front, and how it reports an unreachable server."""

from __future__ import annotations

import pytest
import redis.asyncio

from lml_idempotency import IdempotencyScope, RedisIdempotencyStore
from lml_result import DependencyUnavailable
from lml_testing.servers import UNREACHABLE_REDIS_URL

SCOPE = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-1")


async def test_given_redis_unreachable_when_begun_then_redis_is_reported_unavailable(
    unreachable_redis: redis.asyncio.Redis,
) -> None:
    store = RedisIdempotencyStore(unreachable_redis, prefix="lml")

    with pytest.raises(DependencyUnavailable) as raised:
        await store.begin(SCOPE, "f" * 64, 30)

    assert raised.value.dependency == "redis"


async def test_given_a_client_that_decodes_replies_then_the_store_refuses_it() -> None:
    client = redis.asyncio.Redis.from_url(UNREACHABLE_REDIS_URL, decode_responses=True)
    try:
        with pytest.raises(ValueError, match="decode_responses"):
            RedisIdempotencyStore(client, prefix="lml")
    finally:
        await client.aclose()


@pytest.mark.parametrize("prefix", ["", "{lml}", "lml idem"])
async def test_given_a_prefix_redis_cluster_would_misread_then_the_store_refuses_it(
    unreachable_redis: redis.asyncio.Redis, prefix: str
) -> None:
    with pytest.raises(ValueError, match="prefix"):
        RedisIdempotencyStore(unreachable_redis, prefix=prefix)
