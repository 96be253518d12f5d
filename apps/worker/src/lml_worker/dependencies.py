"""The clients the worker's jobs use, opened from settings and closed on the way out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from lml_config import Settings
from lml_postgres import AppPool, create_pool
from lml_redis_scripts import redis_client
from lml_worker.dependency_probe import Probe

MongoClient = AsyncMongoClient[dict[str, Any]]

REQUIRED = ("database_url", "redis_url", "mongo_url")


class WorkerStartupError(RuntimeError):
    """The worker cannot start with these settings."""


@dataclass(frozen=True)
class Dependencies:
    pool: AppPool
    redis: Redis
    mongo: MongoClient


@asynccontextmanager
async def open_dependencies(settings: Settings) -> AsyncIterator[Dependencies]:
    """Clients for PostgreSQL (as the application role), Redis and MongoDB.

    Nothing here waits for a server to answer: a worker that starts while a database is
    down keeps running, reports it on ``lml_dependency_up``, and recovers when it returns.
    """
    missing = [f"LML_{name.upper()}" for name in REQUIRED if not getattr(settings, name)]
    if missing:
        raise WorkerStartupError(
            f"{', '.join(missing)} not set; `uv run lml dev` starts an embedded stack for you"
        )
    timeout = settings.dependency_timeout_seconds
    timeout_ms = int(timeout * 1000)
    async with AsyncExitStack() as resources:
        pool = create_pool(settings)
        await pool.open(wait=False)
        resources.push_async_callback(pool.close)
        redis = redis_client(str(settings.redis_url), timeout_seconds=timeout)
        resources.push_async_callback(redis.aclose)
        mongo: MongoClient = AsyncMongoClient(
            str(settings.mongo_url),
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            tz_aware=True,
        )
        resources.push_async_callback(mongo.close)
        yield Dependencies(pool=pool, redis=redis, mongo=mongo)


def dependency_probes(dependencies: Dependencies) -> dict[str, Probe]:
    async def postgresql() -> None:
        async with dependencies.pool.connection() as connection:
            await connection.execute("select 1")

    async def redis() -> None:
        await dependencies.redis.ping()

    async def mongodb() -> None:
        await dependencies.mongo.admin.command("ping")

    return {"postgresql": postgresql, "redis": redis, "mongodb": mongodb}
