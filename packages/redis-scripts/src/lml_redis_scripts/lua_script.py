"""A Lua script run by ``EVALSHA`` and loaded again whenever the server does not know it
(a restart, a failover, ``SCRIPT FLUSH``).

Calls made in the same turn of the event loop go to Redis as one pipeline (on a cluster,
one per master: ``cluster_pipelines``), one write and one read for all of them (what
ioredis calls auto-pipelining): a busy API makes many small script calls, and redis-py
spends more CPU per round trip than per command. Each call still gets its own reply or
its own error; a script never runs twice for one call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from redis.asyncio import RedisCluster
from redis.exceptions import NoScriptError

from lml_batching import Batcher
from lml_redis_scripts.client import RedisClient
from lml_redis_scripts.cluster_pipelines import evalsha_by_node
from lml_redis_scripts.script_calls import Arg, Call

PIPELINE_SIZE = 256


class LuaScript:
    def __init__(self, client: RedisClient, source: str) -> None:
        self._client = client
        self._source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()
        self._calls: Batcher[None, Call, object] = Batcher(self._run, max_size=PIPELINE_SIZE)

    @classmethod
    def load(cls, client: RedisClient, package: str, *paths: str) -> LuaScript:
        """The script made of these files of ``package``, joined in order (say a shared
        prelude, then the script itself)."""
        root = files(package)
        return cls(client, "\n".join(root.joinpath(path).read_text("utf-8") for path in paths))

    async def __call__(self, *, keys: Sequence[str], args: Sequence[Arg]) -> Any:
        """The script's reply, as redis-py decodes it."""
        reply = await self._calls.submit(None, (keys, args))
        if isinstance(reply, Exception):
            raise reply
        return reply

    async def _run(self, _: None, calls: list[Call]) -> list[object]:
        replies = await self._pipeline(calls)
        # Only the calls the server refused for want of the script run again: the others
        # have run, and must not run twice.
        missing = [n for n, reply in enumerate(replies) if isinstance(reply, NoScriptError)]
        if missing:
            await self._client.script_load(self._source)
            again = await self._pipeline([calls[n] for n in missing])
            for n, reply in zip(missing, again, strict=True):
                replies[n] = reply
        return replies

    async def _pipeline(self, calls: list[Call]) -> list[object]:
        if isinstance(self._client, RedisCluster):
            return await evalsha_by_node(self._client, self.sha, calls)
        async with self._client.pipeline(transaction=False) as pipe:
            for keys, args in calls:
                pipe.evalsha(self.sha, len(keys), *keys, *args)
            return list(await pipe.execute(raise_on_error=False))
