"""Script calls pipelined per node of a Redis Cluster.

redis-py refuses ``EVALSHA`` in a cluster pipeline, and sending each call alone would cost
the cluster the round trip per call that pipelining saves on one server. So the calls of
one turn are grouped by the master that serves their first key's slot (every key of a
call shares its hash tag) and sent to it as one pipeline. A call that node no longer
serves (``MOVED`` after a resharding, ``ASK`` or ``TRYAGAIN`` during one) did not run
there, so it goes again alone through the cluster client, which follows the redirection
and learns the new owner of the slot (decision 0013).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from redis.asyncio import RedisCluster
from redis.asyncio.cluster import ClusterNode, PipelineCommand
from redis.exceptions import AskError, MovedError, TryAgainError

from lml_redis_scripts.script_calls import Call

_REDIRECTIONS = (MovedError, AskError, TryAgainError)


async def evalsha_by_node(client: RedisCluster, sha: str, calls: Sequence[Call]) -> list[object]:
    """Each call's reply or error, in order."""
    by_node: dict[str, tuple[ClusterNode, list[int]]] = {}
    for n, (keys, _) in enumerate(calls):
        node = client.get_node_from_key(keys[0])
        if node is None:
            # No master serves the slot yet: the cluster client's own call will say so.
            node = client.get_default_node()
        by_node.setdefault(node.name, (node, []))[1].append(n)
    replies: list[object] = [None] * len(calls)
    await asyncio.gather(
        *(_on_node(node, sha, calls, indexes, replies) for node, indexes in by_node.values())
    )
    for n, reply in enumerate(replies):
        if isinstance(reply, _REDIRECTIONS):
            keys, args = calls[n]
            try:
                replies[n] = await client.evalsha(sha, len(keys), *keys, *args)
            except Exception as error:
                replies[n] = error
    return replies


async def _on_node(
    node: ClusterNode,
    sha: str,
    calls: Sequence[Call],
    indexes: list[int],
    replies: list[object],
) -> None:
    commands = [
        PipelineCommand(n, "EVALSHA", sha, len(calls[n][0]), *calls[n][0], *calls[n][1])
        for n in indexes
    ]
    try:
        await node.execute_pipeline(commands)
    except Exception as error:
        for n in indexes:
            replies[n] = error
        return
    for command in commands:
        replies[command.position] = command.result
