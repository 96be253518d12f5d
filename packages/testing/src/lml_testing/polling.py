"""Wait for a condition with a deadline, instead of sleeping a guessed time."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]],
    *,
    deadline_seconds: float = 5.0,
    every_seconds: float = 0.01,
) -> None:
    """Return once ``condition()`` (plain or awaitable) holds; TimeoutError at the deadline."""
    async with asyncio.timeout(deadline_seconds):
        while True:
            outcome = condition()
            if await outcome if inspect.isawaitable(outcome) else outcome:
                return
            await asyncio.sleep(every_seconds)
