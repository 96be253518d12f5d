"""The Redis client every LML process uses: scripts must never run twice for one call."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

# redis-py (8) caps a pool at 100 connections and fails the 101st caller at once ("Too
# many connections"); at an on-sale's bursts that turned holds into 503s. This pool is
# larger, and a caller past it waits for a connection (up to the timeout) instead.
MAX_CONNECTIONS = 512

RedisClient = Redis | RedisCluster
"""One Redis server, or a Redis Cluster: every adapter takes either (decision 0013)."""


def redis_client(
    url: str,
    *,
    timeout_seconds: float,
    max_connections: int = MAX_CONNECTIONS,
    cluster: bool = False,
) -> RedisClient:
    """A client that sends a command again only when its connection broke (a pooled
    connection the server closed), once.

    redis-py's default also retries after a timeout, three times, but a command that timed
    out may have run: a hold script would then run again and find its own seats taken. A
    timeout surfaces instead, and the caller answers 503 for the client to retry with its
    idempotency key.

    With ``cluster``, ``url`` names any one node and the client finds the others. Its
    retries after a timeout or a broken connection are off for the same reason; a
    redirection (``MOVED``, ``ASK``, ``TRYAGAIN``) is followed, since the node that sent
    it ran nothing. Each node has its own pool of ``max_connections``.
    """
    if cluster:
        return RedisCluster.from_url(
            url,
            max_connections=max_connections,
            socket_connect_timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            retry=Retry(NoBackoff(), retries=0),
        )
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), retries=1, supported_errors=(RedisConnectionError,)),
    )
    return Redis(connection_pool=pool)
