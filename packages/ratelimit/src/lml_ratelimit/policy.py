"""A budget (``Policy``) and the answer to one request against it (``Decision``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

FIRST_PRINTABLE = 0x20
LAST_PRINTABLE = 0x7E
# Keeps every product in the Lua scripts an exact integer in a double (below 2**53)
# with room for the rounding of one division; see docs/decisions/0002.
MAX_QUOTA_TIMES_WINDOW = 10**9


class Algorithm(enum.StrEnum):
    """How requests are counted; docs/decisions/0002-rate-limit-algorithm.md says why."""

    SLIDING_WINDOW = "sliding_window"
    TOKEN_BUCKET = "token_bucket"  # noqa: S105 - an algorithm name, not a secret


class FailurePolicy(enum.StrEnum):
    """What to answer when the counters cannot be reached."""

    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Policy:
    """``quota`` requests per ``window_seconds``, named in the ``RateLimit-Policy`` header."""

    name: str
    quota: int
    window_seconds: int
    algorithm: Algorithm = Algorithm.SLIDING_WINDOW
    on_backend_error: FailurePolicy = FailurePolicy.OPEN

    def __post_init__(self) -> None:
        if not self.name or not all(
            FIRST_PRINTABLE <= ord(character) <= LAST_PRINTABLE for character in self.name
        ):
            raise ValueError(f"policy name {self.name!r} must be non-empty printable ASCII")
        if self.quota < 1:
            raise ValueError(f"policy {self.name!r}: quota must be at least 1, got {self.quota}")
        if self.window_seconds < 1:
            raise ValueError(
                f"policy {self.name!r}: window must be at least 1 second, got {self.window_seconds}"
            )
        if self.quota * self.window_seconds > MAX_QUOTA_TIMES_WINDOW:
            raise ValueError(
                f"policy {self.name!r}: quota x window seconds must not exceed "
                f"{MAX_QUOTA_TIMES_WINDOW}; use a shorter window with a smaller quota"
            )

    def check_cost(self, cost: int) -> None:
        """A cost above the quota could never be admitted, so asking is a bug."""
        if not 1 <= cost <= self.quota:
            raise ValueError(f"policy {self.name!r}: cost must be 1 to {self.quota}, got {cost}")


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether one request may go ahead, and what its rate-limit headers should say.

    ``reset_seconds`` is how long until the whole quota is available again if no
    other request arrives; ``retry_after_seconds`` (0 when allowed) how long until
    this request would be admitted.
    """

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: float
    retry_after_seconds: float
