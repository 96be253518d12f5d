"""Let time pass on the clock the Lua scripts read: the Redis server's ``TIME``."""

from __future__ import annotations

import asyncio
import time

import redis.asyncio

POLL_SECONDS = 0.01
DEADLINE_SLACK_SECONDS = 5.0


async def server_now(client: redis.asyncio.Redis) -> float:
    whole, micros = await client.time()
    return float(whole) + micros / 1_000_000


async def wait_for_server_time(client: redis.asyncio.Redis, seconds: float) -> None:
    """Poll Redis ``TIME`` until ``seconds`` have passed on the server's clock."""
    target = await server_now(client) + seconds
    deadline = time.monotonic() + seconds + DEADLINE_SLACK_SECONDS
    while await server_now(client) < target:
        assert time.monotonic() < deadline, "Redis server time did not advance"
        await asyncio.sleep(POLL_SECONDS)
