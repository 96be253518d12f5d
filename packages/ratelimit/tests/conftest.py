"""Fixtures: each rate limiter behind one harness that can also let time pass.

pytest runs with --import-mode=importlib, so tests reach these helpers through
fixtures rather than by importing this module.
"""

from __future__ import annotations

import pytest

from lml_ratelimit import InMemoryRateLimiter, RateLimiter, RedisRateLimiter
from lml_testing.backends import backends
from lml_testing.harness import ClockHarness


class Harness(ClockHarness[RateLimiter]):
    @property
    def limiter(self) -> RateLimiter:
        return self.adapter


@pytest.fixture(params=backends("redis"))
def harness(request: pytest.FixtureRequest) -> Harness:
    return Harness.for_backend(request, fake=InMemoryRateLimiter, real=RedisRateLimiter)


@pytest.fixture
def limiter(harness: Harness) -> RateLimiter:
    return harness.limiter
