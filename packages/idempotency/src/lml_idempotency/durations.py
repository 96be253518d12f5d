"""Checks shared by every store, so fake and Redis refuse the same arguments."""

from __future__ import annotations

import math


def require_positive(name: str, seconds: float) -> None:
    if not seconds > 0 or math.isinf(seconds):
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {seconds!r}")


def milliseconds(seconds: float) -> int:
    """Whole milliseconds, rounded up so a lease never ends early."""
    return max(1, math.ceil(seconds * 1000))
