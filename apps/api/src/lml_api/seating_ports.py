"""The seating context's ports, wired to Redis and PostgreSQL or kept in memory."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from lml_config import Settings
from lml_postgres import AppPool
from lml_seating.application import (
    AvailabilityEvents,
    Clock,
    HoldIdentities,
    HoldRules,
    Inventory,
    SeatLocks,
)
from lml_seating.domain import HoldPolicy
from lml_seating.fakes import InMemoryAvailabilityEvents, InMemoryInventory, InMemorySeatLocks
from lml_seating.infrastructure import (
    CachedHoldRules,
    MeteredSeatLocks,
    PostgresHoldRules,
    PostgresInventory,
    RandomHoldIdentities,
    SystemClock,
    redis_gate,
)


@dataclass(frozen=True)
class SeatingPorts:
    policy: HoldPolicy
    rules: HoldRules
    locks: SeatLocks
    inventory: Inventory
    identities: HoldIdentities
    events: AvailabilityEvents
    clock: Clock


def hold_policy(settings: Settings) -> HoldPolicy:
    return HoldPolicy(
        default_ttl_seconds=settings.hold_default_ttl_seconds,
        min_ttl_seconds=settings.hold_min_ttl_seconds,
        max_ttl_seconds=settings.hold_max_ttl_seconds,
        max_lifetime_seconds=settings.hold_max_lifetime_seconds,
    )


def redis_seating(pool: AppPool, redis: Redis, settings: Settings) -> SeatingPorts:
    """Seat locks and the availability stream in Redis, inventory in PostgreSQL."""
    gate = redis_gate(
        redis,
        key_prefix=settings.redis_key_prefix,
        stream_max_length=settings.availability_stream_max_length,
        max_lifetime_seconds=settings.hold_max_lifetime_seconds,
    )
    return SeatingPorts(
        policy=hold_policy(settings),
        rules=CachedHoldRules(
            PostgresHoldRules(pool), ttl_seconds=settings.hold_rules_cache_seconds
        ),
        locks=gate.locks,
        inventory=PostgresInventory(pool),
        identities=RandomHoldIdentities(),
        events=gate.events,
        clock=SystemClock(),
    )


def in_memory_seating(settings: Settings, clock: Clock | None = None) -> SeatingPorts:
    """Everything in memory, on the wall clock unless told otherwise."""
    clock = clock or SystemClock()
    events = InMemoryAvailabilityEvents()
    stock = InMemoryInventory(clock)
    return SeatingPorts(
        policy=hold_policy(settings),
        rules=stock,
        locks=MeteredSeatLocks(InMemorySeatLocks(clock, events)),
        inventory=stock,
        identities=RandomHoldIdentities(),
        events=events,
        clock=clock,
    )
