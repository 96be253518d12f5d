"""Which MongoDB driver errors mean "the server cannot serve us right now"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pymongo.errors import ConnectionFailure

from lml_result import DependencyUnavailable
from lml_result.breakers import guarded

DEPENDENCY = "mongodb"


@contextmanager
def mongo_faults() -> Iterator[None]:
    """Re-raise lost connections and server-selection timeouts as ``DependencyUnavailable``.

    ``ConnectionFailure`` covers both (``AutoReconnect``, ``NetworkTimeout``,
    ``ServerSelectionTimeoutError``); the driver error stays attached for logs. The block
    runs through the process's MongoDB breaker, if one is installed (``lml_result.breakers``).
    """
    with guarded(DEPENDENCY):
        try:
            yield
        except ConnectionFailure as error:
            raise DependencyUnavailable(DEPENDENCY, "unreachable") from error
