"""Redis connection failures and timeouts become ``DependencyUnavailable("redis")``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis.exceptions

from lml_result import DependencyUnavailable


@contextmanager
def redis_faults() -> Iterator[None]:
    try:
        yield
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        raise DependencyUnavailable("redis", str(error) or type(error).__name__) from error
