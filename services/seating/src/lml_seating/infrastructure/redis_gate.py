"""The Redis side of seating, built one way for every process that touches it.

The API takes holds and the worker expires them; both must agree on the key prefix,
the stream length and the maximum lifetime, so both build them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.metered_locks import MeteredSeatLocks
from lml_seating.infrastructure.redis_availability_events import RedisAvailabilityEvents
from lml_seating.infrastructure.redis_seat_locks import RedisSeatLocks


@dataclass(frozen=True)
class RedisGate:
    locks: MeteredSeatLocks
    events: RedisAvailabilityEvents


def redis_gate(
    redis: Redis, *, key_prefix: str, stream_max_length: int, max_lifetime_seconds: int
) -> RedisGate:
    events = RedisAvailabilityEvents(redis, SeatingKeys(key_prefix), max_length=stream_max_length)
    locks = RedisSeatLocks(redis, events, max_lifetime_seconds=max_lifetime_seconds)
    return RedisGate(locks=MeteredSeatLocks(locks), events=events)
