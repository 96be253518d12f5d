"""How long a failed outbox row waits before its next attempt."""

from __future__ import annotations

import random
from collections.abc import Callable


def retry_delay(
    attempts: int, *, base: float, cap: float, draw: Callable[[], float] = random.random
) -> float:
    """Exponential backoff with equal jitter: the ceiling doubles with each attempt made
    (``base`` after the first, never above ``cap``), and the delay is drawn from its upper
    half. Spread, so retries of a burst do not arrive together, yet never shorter than
    half the ceiling, so a failing row waits longer each time."""
    ceiling = min(cap, base * 2.0 ** max(attempts - 1, 0))
    return ceiling / 2 + draw() * ceiling / 2
