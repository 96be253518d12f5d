"""Fixtures: each rate limiter behind one harness that can also let time pass.

pytest runs with --import-mode=importlib, so tests reach these helpers through
fixtures rather than by importing this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import redis.asyncio

from lml_ratelimit import InMemoryRateLimiter, RateLimiter, RedisRateLimiter
from lml_testing.redis_time import wait_for_server_time

# Covers the millisecond rounding of Redis key expiry.
MARGIN_SECONDS = 0.01


class ManualClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


class Harness:
    """A limiter plus a way to let at least ``seconds`` pass on the limiter's own clock."""

    def __init__(self, limiter: RateLimiter, advance: Callable[[float], Awaitable[None]]) -> None:
        self.limiter = limiter
        self._advance = advance

    async def let_pass(self, seconds: float) -> None:
        await self._advance(seconds + MARGIN_SECONDS)


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture(
    params=[pytest.param("memory"), pytest.param("redis", marks=pytest.mark.integration)]
)
def harness(request: pytest.FixtureRequest) -> Harness:
    if request.param == "memory":
        clock = ManualClock()

        async def advance_clock(seconds: float) -> None:
            clock.advance(seconds)

        return Harness(InMemoryRateLimiter(clock), advance_clock)
    client: redis.asyncio.Redis = request.getfixturevalue("redis_client")
    prefix: str = request.getfixturevalue("redis_key_prefix")
    limiter = RedisRateLimiter(client, prefix=prefix)
    return Harness(limiter, lambda seconds: wait_for_server_time(client, seconds))


@pytest.fixture
def limiter(harness: Harness) -> RateLimiter:
    return harness.limiter
