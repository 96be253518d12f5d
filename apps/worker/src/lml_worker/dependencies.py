"""The clients the worker's jobs use, opened from settings and closed on the way out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from lml_config import Settings
from lml_connections import Connections, mongo_client
from lml_postgres import create_pool
from lml_redis_scripts import redis_client

REQUIRED = ("database_url", "redis_url", "mongo_url")


class WorkerStartupError(RuntimeError):
    """The worker cannot start with these settings."""


@asynccontextmanager
async def open_dependencies(settings: Settings) -> AsyncIterator[Connections]:
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
    async with AsyncExitStack() as resources:
        pool = create_pool(settings)
        await pool.open(wait=False)
        resources.push_async_callback(pool.close)
        redis = redis_client(
            str(settings.redis_url), timeout_seconds=timeout, cluster=settings.redis_cluster
        )
        resources.push_async_callback(redis.aclose)
        mongo = mongo_client(str(settings.mongo_url), timeout_seconds=timeout)
        resources.push_async_callback(mongo.close)
        yield Connections(pool=pool, redis=redis, mongo=mongo)
