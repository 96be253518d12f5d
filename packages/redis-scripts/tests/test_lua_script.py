"""LuaScript against a real Redis: calls of one turn share a pipeline, each keeps its own
reply or error, and a script the server forgot is loaded again without running twice."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from lml_devstack import free_port
from lml_redis_scripts import LuaScript

# Appends ARGV[1] to a list and answers the list's length; 'boom' is refused.
APPEND = """
if ARGV[1] == 'boom' then return redis.error_reply('boom') end
return redis.call('RPUSH', KEYS[1], ARGV[1])
"""


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    name = f"lml-test-{uuid.uuid4().hex[:12]}"
    client = redis.asyncio.Redis.from_url(redis_url, client_name=name)
    yield client
    await client.aclose()


async def connections_named(client: redis.asyncio.Redis, name: str) -> int:
    return sum(1 for entry in await client.client_list() if entry["name"] == name)


async def test_given_many_calls_in_one_turn_then_one_connection_carries_them_in_order(
    client: redis.asyncio.Redis, redis_key_prefix: str
) -> None:
    script = LuaScript(client, APPEND)
    key = f"{redis_key_prefix}:list"

    replies = await asyncio.gather(*(script(keys=[key], args=[n]) for n in range(50)))

    assert replies == list(range(1, 51))
    assert await client.lrange(key, 0, -1) == [str(n).encode() for n in range(50)]
    assert await connections_named(client, client.get_connection_kwargs()["client_name"]) == 1


async def test_given_one_call_failing_then_only_that_call_raises(
    client: redis.asyncio.Redis, redis_key_prefix: str
) -> None:
    script = LuaScript(client, APPEND)
    key = f"{redis_key_prefix}:list"

    replies = await asyncio.gather(
        *(script(keys=[key], args=[arg]) for arg in ("a", "boom", "b")), return_exceptions=True
    )

    assert replies[0] == 1
    assert isinstance(replies[1], ResponseError)
    assert "boom" in str(replies[1])
    assert replies[2] == 2


async def test_given_the_server_forgot_its_scripts_then_each_call_runs_exactly_once(
    client: redis.asyncio.Redis, redis_key_prefix: str
) -> None:
    script = LuaScript(client, APPEND)
    key = f"{redis_key_prefix}:list"
    await script(keys=[key], args=["before"])
    await client.script_flush()

    replies = await asyncio.gather(*(script(keys=[key], args=[n]) for n in range(5)))

    assert replies == [2, 3, 4, 5, 6]
    assert await client.llen(key) == 6


async def test_given_redis_unreachable_then_every_caller_gets_the_connection_error() -> None:
    client = redis.asyncio.Redis(
        port=free_port(), socket_connect_timeout=0.5, retry=Retry(NoBackoff(), retries=0)
    )
    script = LuaScript(client, APPEND)
    try:
        replies = await asyncio.gather(
            *(script(keys=["k"], args=[n]) for n in range(3)), return_exceptions=True
        )
    finally:
        await client.aclose()

    assert all(isinstance(reply, RedisConnectionError) for reply in replies)
