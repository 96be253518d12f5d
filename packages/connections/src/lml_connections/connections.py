"""One process's clients of its three servers, and how to ask each whether it answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient

from lml_postgres import AppPool
from lml_redis_scripts import RedisClient
from lml_result.breakers import guarded

MongoClient = AsyncMongoClient[dict[str, Any]]

Probe = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Connections:
    pool: AppPool
    redis: RedisClient
    mongo: MongoClient


def mongo_client(url: str, *, timeout_seconds: float) -> MongoClient:
    """A client that gives up on a server after ``timeout_seconds`` and reads aware datetimes.

    Constructing it connects to nothing: the first command does.
    """
    timeout_ms = int(timeout_seconds * 1000)
    return AsyncMongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms, tz_aware=True
    )


def probes(connections: Connections) -> dict[str, Probe]:
    """One probe per server, by the name ``/readyz`` and ``lml_dependency_up`` report it under.

    Each goes through its server's breaker, when one is installed: an open breaker makes
    its probe fail at once.
    """

    async def postgresql() -> None:
        with guarded("postgresql"):
            async with connections.pool.connection() as connection:
                await connection.execute("select 1")

    async def redis() -> None:
        with guarded("redis"):
            await connections.redis.ping()

    async def mongodb() -> None:
        with guarded("mongodb"):
            await connections.mongo.admin.command("ping")

    return {"postgresql": postgresql, "redis": redis, "mongodb": mongodb}
