"""Wait for a condition with a deadline, instead of sleeping a guessed time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def eventually(
    condition: Callable[[], bool], *, deadline_seconds: float = 5.0, every_seconds: float = 0.01
) -> None:
    """Return once ``condition()`` holds; fail with TimeoutError at the deadline."""
    async with asyncio.timeout(deadline_seconds):
        while not condition():  # noqa: ASYNC110 - polling a condition nothing signals
            await asyncio.sleep(every_seconds)
