"""Fixtures: each idempotency store behind one harness that can also let time pass.

pytest runs with --import-mode=importlib, so tests reach these helpers through
fixtures rather than by importing this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import redis.asyncio

from lml_idempotency import (
    IdempotencyScope,
    IdempotencyStore,
    InMemoryIdempotencyStore,
    RedisIdempotencyStore,
)
from lml_testing.redis_time import wait_for_server_time

# Redis expires keys on its own clock, at millisecond precision.
EXPIRY_MARGIN_SECONDS = 0.01


class ManualClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


class Harness:
    """A store plus a way to let at least ``seconds`` pass on the store's own clock."""

    def __init__(
        self, store: IdempotencyStore, advance: Callable[[float], Awaitable[None]]
    ) -> None:
        self.store = store
        self._advance = advance

    async def let_pass(self, seconds: float) -> None:
        await self._advance(seconds + EXPIRY_MARGIN_SECONDS)


@pytest.fixture(
    params=[pytest.param("memory"), pytest.param("redis", marks=pytest.mark.integration)]
)
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "memory":
        clock = ManualClock()

        async def advance_clock(seconds: float) -> None:
            clock.advance(seconds)

        yield Harness(InMemoryIdempotencyStore(clock), advance_clock)
        return
    redis_url: str = request.getfixturevalue("redis_url")
    prefix: str = request.getfixturevalue("redis_key_prefix")
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        store = RedisIdempotencyStore(client, prefix=prefix)
        yield Harness(store, lambda seconds: wait_for_server_time(client, seconds))
    finally:
        await client.aclose()


@pytest.fixture
def store(harness: Harness) -> IdempotencyStore:
    return harness.store


@pytest.fixture
def scope() -> IdempotencyScope:
    return IdempotencyScope(
        organisation="org_1", principal="usr_1", method="POST", route="/v1/holds", key="k-1"
    )
