"""Which Redis driver errors mean "Redis cannot serve us right now"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis.exceptions

from lml_result import DependencyUnavailable
from lml_result.breakers import guarded

DEPENDENCY = "redis"

# On Redis Cluster, a slot that no node serves yet (a failover, a resharding that outlasted
# the client's redirections) means the same: nothing ran, try again soon.
_UNAVAILABLE = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.ClusterError,
    redis.exceptions.SlotNotCoveredError,
    redis.exceptions.TryAgainError,
)


@contextmanager
def redis_faults() -> Iterator[None]:
    """Re-raise connection failures, timeouts and a cluster's unserved slots as
    ``DependencyUnavailable("redis")``.

    Every other driver error (a script's error reply, a wrong type) is a bug or an
    outcome for the caller, and passes through untouched. The block runs through the
    process's Redis breaker, if one is installed (``lml_result.breakers``).
    """
    with guarded(DEPENDENCY):
        try:
            yield
        except _UNAVAILABLE as error:
            raise DependencyUnavailable(DEPENDENCY, str(error) or type(error).__name__) from error
