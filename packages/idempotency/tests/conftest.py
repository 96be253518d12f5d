"""Fixtures: each idempotency store behind one harness that can also let time pass.

pytest runs with --import-mode=importlib, so tests reach these helpers through
fixtures rather than by importing this module.
"""

from __future__ import annotations

import pytest

from lml_idempotency import (
    IdempotencyScope,
    IdempotencyStore,
    InMemoryIdempotencyStore,
    RedisIdempotencyStore,
)
from lml_testing.backends import backends
from lml_testing.harness import ClockHarness


class Harness(ClockHarness[IdempotencyStore]):
    @property
    def store(self) -> IdempotencyStore:
        return self.adapter


@pytest.fixture(params=backends("redis"))
def harness(request: pytest.FixtureRequest) -> Harness:
    return Harness.for_backend(request, fake=InMemoryIdempotencyStore, real=RedisIdempotencyStore)


@pytest.fixture
def store(harness: Harness) -> IdempotencyStore:
    return harness.store


@pytest.fixture
def scope() -> IdempotencyScope:
    return IdempotencyScope(
        organisation="org_1", principal="usr_1", method="POST", route="/v1/holds", key="k-1"
    )
