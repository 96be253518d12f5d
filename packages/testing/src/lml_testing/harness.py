"""An adapter under a contract test, and a way to let time pass on the clock it reads: a
``ManualMonotonicClock`` for the fake, the Redis server's ``TIME`` for the Redis adapter."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Protocol, Self, TypeVar

import pytest
import redis.asyncio

from lml_testing.clocks import ManualMonotonicClock
from lml_testing.redis_time import wait_for_server_time

Adapter = TypeVar("Adapter")
Built = TypeVar("Built", covariant=True)

# Redis expires keys on its own clock, at millisecond precision.
EXPIRY_MARGIN_SECONDS = 0.01


class OnRedis(Protocol[Built]):
    """How a Redis adapter is built: ``RedisRateLimiter`` itself fits."""

    def __call__(self, client: redis.asyncio.Redis, *, prefix: str) -> Built: ...


@dataclass(frozen=True)
class ClockHarness(Generic[Adapter]):
    """An adapter plus a way to let at least ``seconds`` pass on the adapter's own clock."""

    adapter: Adapter
    advance: Callable[[float], Awaitable[None]]

    @classmethod
    def for_backend(
        cls,
        request: pytest.FixtureRequest,
        *,
        fake: Callable[[ManualMonotonicClock], Adapter],
        real: OnRedis[Adapter],
    ) -> Self:
        """For the ``"memory"`` parameter (see ``backends``), ``fake`` on a ``ManualMonotonicClock``
        that ``let_pass`` moves; otherwise ``real`` on this run's Redis under the test's own
        key prefix, and ``let_pass`` waits for the server's clock."""
        if request.param == "memory":
            clock = ManualMonotonicClock()

            async def advance(seconds: float) -> None:
                clock.advance(seconds)

            return cls(fake(clock), advance)
        client: redis.asyncio.Redis = request.getfixturevalue("redis_client")
        prefix: str = request.getfixturevalue("redis_key_prefix")
        return cls(real(client, prefix=prefix), functools.partial(wait_for_server_time, client))

    async def let_pass(self, seconds: float) -> None:
        await self.advance(seconds + EXPIRY_MARGIN_SECONDS)
