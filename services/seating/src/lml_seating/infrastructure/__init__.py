"""Adapters of the seating ports: Redis seat locks and stream, PostgreSQL inventory."""

from lml_seating.infrastructure.cached_hold_rules import CachedHoldRules
from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.metered_locks import MeteredSeatLocks
from lml_seating.infrastructure.postgres_hold_rules import PostgresHoldRules
from lml_seating.infrastructure.postgres_inventory import PostgresInventory
from lml_seating.infrastructure.random_identities import RandomHoldIdentities
from lml_seating.infrastructure.redis_availability_events import RedisAvailabilityEvents
from lml_seating.infrastructure.redis_gate import RedisGate, redis_gate
from lml_seating.infrastructure.redis_seat_locks import RedisSeatLocks
from lml_seating.infrastructure.system_clock import SystemClock

__all__ = [
    "CachedHoldRules",
    "MeteredSeatLocks",
    "PostgresHoldRules",
    "PostgresInventory",
    "RandomHoldIdentities",
    "RedisAvailabilityEvents",
    "RedisGate",
    "RedisSeatLocks",
    "SeatingKeys",
    "SystemClock",
    "redis_gate",
]
