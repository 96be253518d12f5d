"""The composition root's parts: clients opened from settings, and what readiness probes."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg
from litestar.datastructures import State
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from lml_api.readiness import Check
from lml_api.seating_ports import SeatingPorts, redis_seating
from lml_api.tokens import Tokens, build_tokens
from lml_catalog.application import CatalogIds, Clock, Events, Seatmaps, Venues
from lml_catalog.infrastructure import (
    COLLECTION,
    MongoSeatmaps,
    PostgresEvents,
    PostgresVenues,
    RandomIds,
    SystemClock,
)
from lml_config import Settings
from lml_idempotency import IdempotencyStore, MeteredIdempotencyStore, RedisIdempotencyStore
from lml_identity.application import (
    ApiClients,
    Organisations,
    PasswordHasher,
    SecretGenerator,
    Users,
)
from lml_identity.infrastructure import (
    Argon2PasswordHasher,
    PostgresApiClients,
    PostgresOrganisations,
    PostgresUsers,
    RandomSecrets,
)
from lml_postgres import AppPool, app_conninfo, create_pool
from lml_ratelimit import (
    DEFAULT_BUDGETS,
    Budgets,
    GuardedRateLimiter,
    InvalidBudgets,
    RateLimiter,
    RedisRateLimiter,
)
from lml_redis_scripts import redis_client
from lml_result import DependencyUnavailable

log = logging.getLogger("lml.api")

T = TypeVar("T")

MongoClient = AsyncMongoClient[dict[str, Any]]


class StartupError(RuntimeError):
    """A dependency stayed unreachable through every start-up attempt."""


@dataclass(frozen=True)
class IdentityPorts:
    organisations: Organisations
    users: Users
    clients: ApiClients
    hasher: PasswordHasher
    secrets: SecretGenerator


@dataclass(frozen=True)
class CatalogPorts:
    venues: Venues
    seatmaps: Seatmaps
    events: Events
    ids: CatalogIds
    clock: Clock


@dataclass
class Container:
    """Everything the routes need, built once per process and closed on shutdown."""

    settings: Settings
    checks: Sequence[Check]
    tokens: Tokens
    identity: IdentityPorts
    catalog: CatalogPorts
    idempotency: IdempotencyStore
    rate_limiter: RateLimiter
    budgets: Budgets
    seating: SeatingPorts
    resources: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def aclose(self) -> None:
        await self.resources.aclose()


def container_of(state: State) -> Container:
    """The container the lifespan put on the app's state, typed."""
    container: Container = state.container
    return container


async def with_retries(
    dependency: str, attempt: Callable[[], Awaitable[T]], settings: Settings
) -> T:
    """Run ``attempt`` until it succeeds, backing off exponentially between failures."""
    delay = settings.startup_backoff_seconds
    number = 1
    while True:
        try:
            return await attempt()
        except Exception as error:
            if number >= settings.startup_attempts:
                raise StartupError(
                    f"{dependency} unreachable after {number} attempts: {error}"
                ) from error
            log.warning(
                "dependency not reachable yet",
                extra={"dependency": dependency, "attempt": number, "error": str(error)},
            )
            await asyncio.sleep(delay)
            delay *= 2
            number += 1


def required(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    if not value:
        raise StartupError(
            f"LML_{name.upper()} is not set; `uv run lml dev` starts an embedded stack for you"
        )
    return str(value)


async def open_postgres(settings: Settings, resources: AsyncExitStack) -> AppPool:
    required(settings, "database_url")
    conninfo = app_conninfo(settings)
    timeout = settings.dependency_timeout_seconds

    async def reach() -> None:
        connection = await psycopg.AsyncConnection.connect(
            conninfo, connect_timeout=max(1, math.ceil(timeout))
        )
        await connection.close()

    await with_retries("postgresql", reach, settings)
    pool = create_pool(settings)
    await pool.open(wait=True, timeout=timeout)
    resources.push_async_callback(pool.close)
    return pool


async def open_redis(settings: Settings, resources: AsyncExitStack) -> Redis:
    timeout = settings.dependency_timeout_seconds
    client = redis_client(required(settings, "redis_url"), timeout_seconds=timeout)
    resources.push_async_callback(client.aclose)
    await with_retries("redis", client.ping, settings)
    return client


async def open_mongo(settings: Settings, resources: AsyncExitStack) -> MongoClient:
    timeout_ms = int(settings.dependency_timeout_seconds * 1000)
    client: MongoClient = AsyncMongoClient(
        required(settings, "mongo_url"),
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        tz_aware=True,
    )
    resources.push_async_callback(client.close)
    await with_retries("mongodb", lambda: client.admin.command("ping"), settings)
    return client


def postgres_identity(pool: AppPool) -> IdentityPorts:
    return IdentityPorts(
        organisations=PostgresOrganisations(pool),
        users=PostgresUsers(pool),
        clients=PostgresApiClients(pool),
        hasher=Argon2PasswordHasher(),
        secrets=RandomSecrets(),
    )


async def open_seatmaps(client: MongoClient, settings: Settings) -> MongoSeatmaps:
    """The seatmap store, with the ``(org_id, _id)`` index its queries use created if missing."""
    seatmaps = MongoSeatmaps(client[settings.mongo_database][COLLECTION])
    await with_retries("mongodb", seatmaps.create_indexes, settings)
    return seatmaps


def postgres_catalog(pool: AppPool, seatmaps: Seatmaps) -> CatalogPorts:
    """Venues and events in PostgreSQL, seatmaps wherever ``seatmaps`` keeps them."""
    return CatalogPorts(
        venues=PostgresVenues(pool),
        seatmaps=seatmaps,
        events=PostgresEvents(pool),
        ids=RandomIds(),
        clock=SystemClock(),
    )


def postgres_check(pool: AppPool) -> Check:
    async def probe() -> None:
        async with pool.connection() as connection:
            await connection.execute("select 1")

    return Check("postgresql", probe)


def redis_check(client: Redis) -> Check:
    async def probe() -> None:
        await client.ping()

    return Check("redis", probe)


def mongo_check(client: MongoClient) -> Check:
    async def probe() -> None:
        await client.admin.command("ping")

    return Check("mongodb", probe)


def stripe_check(settings: Settings) -> Check:
    async def probe() -> None:
        if not settings.stripe_secret_key:
            raise DependencyUnavailable("stripe", "LML_STRIPE_SECRET_KEY is not configured")

    return Check("stripe", probe)


def build_budgets(settings: Settings) -> Budgets:
    try:
        return Budgets.parse(settings.rate_limit_budgets or DEFAULT_BUDGETS)
    except InvalidBudgets as error:
        raise StartupError(f"LML_RATE_LIMIT_BUDGETS: {error}") from None


async def open_container(settings: Settings) -> Container:
    """Connect to every dependency (retrying at start-up) and assemble the container."""
    tokens = build_tokens(settings)
    budgets = build_budgets(settings)
    resources = AsyncExitStack()
    try:
        pool = await open_postgres(settings, resources)
        redis = await open_redis(settings, resources)
        mongo = await open_mongo(settings, resources)
        seatmaps = await open_seatmaps(mongo, settings)
    except BaseException:
        await resources.aclose()
        raise
    checks = [postgres_check(pool), redis_check(redis), mongo_check(mongo), stripe_check(settings)]
    prefix = settings.redis_key_prefix
    return Container(
        settings=settings,
        checks=checks,
        tokens=tokens,
        identity=postgres_identity(pool),
        catalog=postgres_catalog(pool, seatmaps),
        idempotency=MeteredIdempotencyStore(RedisIdempotencyStore(redis, prefix=prefix)),
        rate_limiter=GuardedRateLimiter(RedisRateLimiter(redis, prefix=prefix)),
        budgets=budgets,
        seating=redis_seating(pool, redis, settings),
        resources=resources,
    )
