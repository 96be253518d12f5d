"""The seating context's adapters, built once from open connections and the settings.

The API's hold routes and the worker's hold sweeper both run on what ``redis_seating``
builds, so the two always agree on key prefix, stream length and hold lifetime.
"""

from __future__ import annotations

from dataclasses import dataclass

from lml_clocks import SystemClock
from lml_config import Settings
from lml_postgres import AppPool
from lml_redis_scripts import RedisClient
from lml_seating.application import (
    AvailabilityEvents,
    Clock,
    ExpiryQueue,
    HoldIdentities,
    HoldLocks,
    HoldRules,
    Inventory,
    InventoryConfigurations,
    LiveLocks,
    OrderLocks,
)
from lml_seating.domain import HoldPolicy
from lml_seating.infrastructure.cached_hold_rules import CachedHoldRules
from lml_seating.infrastructure.postgres_hold_rules import PostgresHoldRules
from lml_seating.infrastructure.postgres_inventory import PostgresInventory
from lml_seating.infrastructure.random_identities import RandomHoldIdentities
from lml_seating.infrastructure.redis_gate import redis_gate


@dataclass(frozen=True)
class SeatingAdapters:
    """An adapter for each seating port, and the hold policy the use cases apply with them."""

    policy: HoldPolicy
    rules: HoldRules
    locks: HoldLocks
    expiries: ExpiryQueue
    live: LiveLocks
    order_locks: OrderLocks
    inventory: Inventory
    # Inventory itself, or the API's in-memory cache of it (listened_configurations).
    configurations: InventoryConfigurations
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


def redis_seating(pool: AppPool, redis: RedisClient, settings: Settings) -> SeatingAdapters:
    """Seat locks and the availability stream in Redis, inventory in PostgreSQL."""
    gate = redis_gate(
        redis,
        key_prefix=settings.redis_key_prefix,
        stream_max_length=settings.availability_stream_max_length,
        stream_max_age_seconds=settings.availability_stream_max_age_seconds,
        max_lifetime_seconds=settings.hold_max_lifetime_seconds,
    )
    inventory = PostgresInventory(pool)
    return SeatingAdapters(
        policy=hold_policy(settings),
        rules=CachedHoldRules(
            PostgresHoldRules(pool), ttl_seconds=settings.hold_rules_cache_seconds
        ),
        locks=gate.locks,
        expiries=gate.expiries,
        live=gate.live,
        order_locks=gate.orders,
        inventory=inventory,
        configurations=inventory,
        identities=RandomHoldIdentities(),
        events=gate.events,
        clock=SystemClock(),
    )
