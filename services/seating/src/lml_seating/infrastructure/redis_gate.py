"""The Redis side of seating, built one way for every process that touches it.

The API takes holds and the worker expires them; both must agree on the key prefix,
the stream length and the maximum lifetime, so both build them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lml_redis_scripts import RedisClient
from lml_seating.infrastructure.hold_scripts import HoldScripts
from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.metered_locks import MeteredExpiryQueue, MeteredHoldLocks
from lml_seating.infrastructure.redis_availability_events import RedisAvailabilityEvents
from lml_seating.infrastructure.redis_event_registry import RedisEventRegistry
from lml_seating.infrastructure.redis_expiry_queue import RedisExpiryQueue
from lml_seating.infrastructure.redis_hold_locks import RedisHoldLocks
from lml_seating.infrastructure.redis_live_locks import RedisLiveLocks
from lml_seating.infrastructure.redis_order_locks import RedisOrderLocks


@dataclass(frozen=True)
class RedisGate:
    locks: MeteredHoldLocks
    expiries: MeteredExpiryQueue
    live: RedisLiveLocks
    orders: RedisOrderLocks
    events: RedisAvailabilityEvents


def redis_gate(
    redis: RedisClient,
    *,
    key_prefix: str,
    stream_max_length: int,
    max_lifetime_seconds: float,
    stream_max_age_seconds: float = 3_600,
) -> RedisGate:
    keys = SeatingKeys(key_prefix)
    scripts = HoldScripts(
        redis,
        keys,
        stream_max_length=stream_max_length,
        stream_max_age_seconds=stream_max_age_seconds,
    )
    registry = RedisEventRegistry(redis, keys, max_lifetime_seconds=max_lifetime_seconds)
    return RedisGate(
        locks=MeteredHoldLocks(RedisHoldLocks(scripts, registry)),
        expiries=MeteredExpiryQueue(RedisExpiryQueue(redis, keys, scripts, registry)),
        live=RedisLiveLocks(redis, keys),
        orders=RedisOrderLocks(scripts),
        events=RedisAvailabilityEvents(redis, keys),
    )
