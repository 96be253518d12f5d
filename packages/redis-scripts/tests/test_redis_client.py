"""The LML Redis client never sends a command again after it may have run."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio
from redis.exceptions import TimeoutError as RedisTimeoutError

from lml_redis_scripts import LuaScript, redis_client

# Counts its runs, then keeps the server busy for about 300 ms, past the client's timeout.
SLOW_COUNT = """
redis.call('INCR', KEYS[1])
local started = redis.call('TIME')
local now = started
while (now[1] - started[1]) * 1000000 + (now[2] - started[2]) < 300000 do
  now = redis.call('TIME')
end
return 1
"""


async def test_given_a_script_that_outlasts_the_timeout_then_it_fails_once_and_ran_once(
    redis_url: str, redis_key_prefix: str
) -> None:
    key = f"{redis_key_prefix}:runs"
    client = redis_client(redis_url, timeout_seconds=0.1)
    try:
        with pytest.raises(RedisTimeoutError):
            await LuaScript(client, SLOW_COUNT)(keys=[key], args=[])
    finally:
        await client.aclose()
    await asyncio.sleep(0.4)

    checker = redis.asyncio.Redis.from_url(redis_url)
    try:
        assert await checker.get(key) == b"1"
    finally:
        await checker.aclose()


async def test_given_a_pooled_connection_the_server_closed_then_the_next_command_still_works(
    redis_url: str,
) -> None:
    client = redis_client(redis_url, timeout_seconds=1)
    admin = redis.asyncio.Redis.from_url(redis_url)
    try:
        await client.client_setname("lml-test-reconnect")
        assert await client.ping()
        await admin.client_kill_filter(
            _type="normal", skipme=True, laddr=None, user=None, _id=await client.client_id()
        )

        assert await client.ping()
    finally:
        await client.aclose()
        await admin.aclose()


async def test_given_more_callers_than_redis_py_pools_by_default_then_none_is_refused(
    redis_url: str,
) -> None:
    """redis-py's default pool fails its 101st concurrent caller at once; ours has room,
    and past its size a caller waits for a connection instead of failing."""
    client = redis_client(redis_url, timeout_seconds=5, max_connections=150)
    try:
        replies = await asyncio.gather(*(client.execute_command("PING") for _ in range(300)))
    finally:
        await client.aclose()

    assert replies == [True] * 300
