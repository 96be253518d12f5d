"""Adapters of the seating ports: Redis seat locks and stream, PostgreSQL inventory."""

from lml_seating.infrastructure.cached_configurations import CachedConfigurations
from lml_seating.infrastructure.cached_hold_rules import CachedHoldRules
from lml_seating.infrastructure.hold_scripts import HoldScripts, ScriptArguments
from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.metered_locks import MeteredExpiryQueue, MeteredHoldLocks
from lml_seating.infrastructure.postgres_configuration_listener import (
    listen_for_changes,
    listened_configurations,
)
from lml_seating.infrastructure.postgres_hold_conversion import PostgresHoldConversion
from lml_seating.infrastructure.postgres_hold_rules import PostgresHoldRules
from lml_seating.infrastructure.postgres_inventory import PostgresInventory
from lml_seating.infrastructure.random_identities import RandomHoldIdentities
from lml_seating.infrastructure.redis_availability_events import RedisAvailabilityEvents
from lml_seating.infrastructure.redis_event_registry import RedisEventRegistry
from lml_seating.infrastructure.redis_expiry_queue import RedisExpiryQueue
from lml_seating.infrastructure.redis_gate import RedisGate, redis_gate
from lml_seating.infrastructure.redis_hold_locks import RedisHoldLocks
from lml_seating.infrastructure.redis_live_locks import RedisLiveLocks
from lml_seating.infrastructure.redis_order_locks import RedisOrderLocks

__all__ = [
    "CachedConfigurations",
    "CachedHoldRules",
    "HoldScripts",
    "MeteredExpiryQueue",
    "MeteredHoldLocks",
    "PostgresHoldConversion",
    "PostgresHoldRules",
    "PostgresInventory",
    "RandomHoldIdentities",
    "RedisAvailabilityEvents",
    "RedisEventRegistry",
    "RedisExpiryQueue",
    "RedisGate",
    "RedisHoldLocks",
    "RedisLiveLocks",
    "RedisOrderLocks",
    "ScriptArguments",
    "SeatingKeys",
    "listen_for_changes",
    "listened_configurations",
    "redis_gate",
]
