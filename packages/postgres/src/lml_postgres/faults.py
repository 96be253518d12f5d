"""Which PostgreSQL driver errors mean "the database cannot serve us right now"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import psycopg_pool

from lml_result import DependencyUnavailable
from lml_result.breakers import guarded

DEPENDENCY = "postgresql"

# SQLSTATEs that say nothing about the statement and everything about the server:
# lost or refused connections, shutdowns, exhausted resources, and timeouts. Other
# OperationalErrors (serialization failures, deadlocks) are outcomes the caller may
# retry or map itself, so they pass through untouched.
_UNAVAILABLE_CLASSES = ("08", "53", "57")
_UNAVAILABLE_STATES = frozenset({"55P03"})


def is_unavailable(error: BaseException) -> bool:
    """True when ``error`` means PostgreSQL is unreachable, overloaded or too slow."""
    if isinstance(error, psycopg_pool.PoolTimeout):
        return True
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = error.sqlstate
    if state is None:
        # Raised by libpq itself: connection refused, lost, or closed by the server.
        return True
    return state.startswith(_UNAVAILABLE_CLASSES) or state in _UNAVAILABLE_STATES


def _reason(error: BaseException) -> str:
    if isinstance(error, psycopg_pool.PoolTimeout):
        return "no connection available in time"
    if isinstance(error, psycopg.Error) and error.sqlstate is not None:
        return f"server error {error.sqlstate}"
    return "connection failed"


@contextmanager
def postgres_faults() -> Iterator[None]:
    """Re-raise connection failures and timeouts as ``DependencyUnavailable("postgresql")``.

    The driver error stays attached as ``__cause__`` for logs; the reason given to
    clients names no host, user or statement. The block runs through the process's
    PostgreSQL breaker, if one is installed (``lml_result.breakers``).
    """
    with guarded(DEPENDENCY):
        try:
            yield
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as error:
            if is_unavailable(error):
                raise DependencyUnavailable(DEPENDENCY, _reason(error)) from error
            raise
