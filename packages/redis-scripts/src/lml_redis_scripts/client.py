"""The Redis client every LML process uses: scripts must never run twice for one call."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError


def redis_client(url: str, *, timeout_seconds: float) -> Redis:
    """A client that sends a command again only when its connection broke (a pooled
    connection the server closed), once.

    redis-py's default also retries after a timeout, three times, but a command that timed
    out may have run: a hold script would then run again and find its own seats taken. A
    timeout surfaces instead, and the caller answers 503 for the client to retry with its
    idempotency key.
    """
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), retries=1, supported_errors=(RedisConnectionError,)),
    )
