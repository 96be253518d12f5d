"""The composition root's parts: clients opened from settings, and what readiness probes."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from typing import TypeVar

import psycopg
from litestar.types import Scope

from lml_api.read_tickets import ReadTickets, RedisReadTickets
from lml_api.readiness import Check
from lml_api.streaming.hub import AvailabilityHub
from lml_api.tokens import Tokens, build_tokens
from lml_catalog.infrastructure import COLLECTION, MongoSeatmaps
from lml_catalog.infrastructure.adapters import CatalogAdapters, postgres_catalog
from lml_clocks import SystemClock
from lml_config import Settings
from lml_connections import Connections, MongoClient, installed_breakers, mongo_client, probes
from lml_idempotency import IdempotencyStore, MeteredIdempotencyStore, RedisIdempotencyStore
from lml_identity.infrastructure.adapters import IdentityAdapters, postgres_identity
from lml_ordering.infrastructure import RandomOrderIds
from lml_ordering.infrastructure.adapters import OrderingAdapters
from lml_payments.infrastructure import StripeGateway
from lml_payments.infrastructure.adapters import PaymentsAdapters, postgres_payments
from lml_postgres import AppPool, app_conninfo, create_pool
from lml_ratelimit import (
    DEFAULT_BUDGETS,
    Budgets,
    GuardedRateLimiter,
    InvalidBudgets,
    RateLimiter,
    RedisRateLimiter,
)
from lml_redis_scripts import RedisClient, redis_client
from lml_result import DependencyUnavailable
from lml_sales.order_work import PostgresOrderWorkFactory
from lml_sales.payment_gateway import payment_gateway
from lml_seating.infrastructure import listened_configurations
from lml_seating.infrastructure.adapters import SeatingAdapters, redis_seating

log = logging.getLogger("lml.api")

T = TypeVar("T")


class StartupError(RuntimeError):
    """A dependency stayed unreachable through every start-up attempt."""


@dataclass
class Container:
    """Everything the routes need, built once per process and closed on shutdown."""

    settings: Settings
    checks: Sequence[Check]
    tokens: Tokens
    identity: IdentityAdapters
    catalog: CatalogAdapters
    idempotency: IdempotencyStore
    rate_limiter: RateLimiter
    budgets: Budgets
    seating: SeatingAdapters
    read_tickets: ReadTickets
    ordering: OrderingAdapters
    payments: PaymentsAdapters
    resources: AsyncExitStack = field(default_factory=AsyncExitStack)
    availability: AvailabilityHub = field(init=False)

    def __post_init__(self) -> None:
        self.availability = AvailabilityHub(
            self.seating.events,
            batch_window_seconds=self.settings.availability_batch_window_ms / 1000,
            mailbox_capacity=self.settings.availability_subscriber_buffer,
            heartbeat_seconds=self.settings.availability_heartbeat_seconds,
        )

    async def aclose(self) -> None:
        await self.availability.aclose()
        await self.resources.aclose()


def container_of(scope: Scope) -> Container:
    """The container the lifespan put on the app's state, typed.

    The one way to reach it: middleware and guards call this with their scope, and
    handlers take it as the ``container`` dependency, which is this function.
    """
    container: Container = scope["litestar_app"].state.container
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


async def open_redis(settings: Settings, resources: AsyncExitStack) -> RedisClient:
    timeout = settings.dependency_timeout_seconds
    client = redis_client(
        required(settings, "redis_url"), timeout_seconds=timeout, cluster=settings.redis_cluster
    )
    resources.push_async_callback(client.aclose)
    await with_retries("redis", client.ping, settings)
    return client


async def open_mongo(settings: Settings, resources: AsyncExitStack) -> MongoClient:
    client = mongo_client(
        required(settings, "mongo_url"), timeout_seconds=settings.dependency_timeout_seconds
    )
    resources.push_async_callback(client.close)
    await with_retries("mongodb", lambda: client.admin.command("ping"), settings)
    return client


async def open_seatmaps(client: MongoClient, settings: Settings) -> MongoSeatmaps:
    """The seatmap store, with the ``(org_id, _id)`` index its queries use created if missing."""
    seatmaps = MongoSeatmaps(client[settings.mongo_database][COLLECTION])
    await with_retries("mongodb", seatmaps.create_indexes, settings)
    return seatmaps


def stripe_check(settings: Settings) -> Check:
    async def probe() -> None:
        # The fake gateway stands in for Stripe outside production (lml_config refuses a
        # production without a key), so only a missing key with no stand-in is down.
        if not settings.stripe_secret_key and settings.is_production:
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
    connections = Connections(pool=pool, redis=redis, mongo=mongo)
    await resources.enter_async_context(
        installed_breakers(
            connections,
            postgres_conninfo=app_conninfo(settings),
            stall_seconds=settings.dependency_stall_seconds,
            probe_interval_seconds=settings.dependency_probe_interval_seconds,
        )
    )
    checks = [Check(name, probe) for name, probe in probes(connections).items()]
    checks.append(stripe_check(settings))
    prefix = settings.redis_key_prefix
    seating = redis_seating(pool, redis, settings)
    # Revalidations read configurations from memory while the listener hears their changes.
    configurations = await resources.enter_async_context(
        listened_configurations(
            seating.inventory,
            app_conninfo(settings),
            heartbeat_seconds=settings.dependency_probe_interval_seconds,
            timeout_seconds=settings.dependency_stall_seconds,
        )
    )
    seating = replace(seating, configurations=configurations)
    gateway = payment_gateway(settings)
    if isinstance(gateway, StripeGateway):
        resources.push_async_callback(gateway.aclose)
    else:
        log.warning(
            "payments use the fake gateway (LML_STRIPE_SECRET_KEY is not set): no money"
            " moves; POST /v1/dev/payments/{order_id}/{outcome} delivers Stripe's events"
        )
    return Container(
        settings=settings,
        checks=checks,
        tokens=tokens,
        identity=postgres_identity(pool),
        catalog=postgres_catalog(pool, seatmaps),
        idempotency=MeteredIdempotencyStore(RedisIdempotencyStore(redis, prefix=prefix)),
        rate_limiter=GuardedRateLimiter(RedisRateLimiter(redis, prefix=prefix)),
        budgets=budgets,
        seating=seating,
        read_tickets=RedisReadTickets(
            redis, prefix=prefix, ttl_seconds=settings.availability_ticket_seconds
        ),
        ordering=OrderingAdapters(
            work=PostgresOrderWorkFactory(pool, seating.order_locks),
            ids=RandomOrderIds(),
            clock=SystemClock(),
            ttl_seconds=settings.order_ttl_seconds,
        ),
        payments=postgres_payments(pool, settings, gateway),
        resources=resources,
    )
