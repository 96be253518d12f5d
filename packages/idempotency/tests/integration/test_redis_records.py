"""Where the Redis store keeps its records, and for how long."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from lml_idempotency import Began, IdempotencyScope, RedisIdempotencyStore, StoredResponse

pytestmark = pytest.mark.integration

SCOPE = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-1")


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_given_a_lease_then_the_record_lives_under_the_prefix_for_the_lease(
    client: redis.asyncio.Redis, redis_key_prefix: str
) -> None:
    store = RedisIdempotencyStore(client, prefix=redis_key_prefix)

    await store.begin(SCOPE, "f" * 64, 30)

    assert 29_000 < await client.pttl(SCOPE.storage_key(redis_key_prefix)) <= 30_000


async def test_given_a_completed_record_then_it_lives_for_the_replay_window(
    client: redis.asyncio.Redis, redis_key_prefix: str
) -> None:
    store = RedisIdempotencyStore(client, prefix=redis_key_prefix)
    outcome = await store.begin(SCOPE, "f" * 64, 30)
    assert isinstance(outcome, Began)

    await store.complete(outcome.lease, StoredResponse(201, b"{}"))

    ttl = await client.pttl(SCOPE.storage_key(redis_key_prefix))
    assert 86_399_000 < ttl <= 86_400_000
