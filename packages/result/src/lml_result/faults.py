"""Infrastructure faults that adapters raise in place of their drivers' errors."""

from __future__ import annotations


class DependencyUnavailable(Exception):
    """A backing service (PostgreSQL, Redis, MongoDB) cannot be reached right now.

    Adapters translate driver connection errors into this so the API answers
    503 ``dependency-unavailable`` whatever the driver.
    """

    def __init__(self, dependency: str, reason: str = "unreachable") -> None:
        self.dependency = dependency
        self.reason = reason
        super().__init__(f"{dependency} is unavailable: {reason}")
