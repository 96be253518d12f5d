"""The sweeper's index of events that have had holds lately, in Redis.

Not under an event's hash tag: it spans events, so on Redis Cluster it lives in a slot
of its own and the hold scripts never touch it.
"""

from __future__ import annotations

import time
from typing import cast

from lml_redis_scripts import RedisClient, redis_faults
from lml_seating.infrastructure.hold_scripts import TOMBSTONE_SECONDS, milliseconds
from lml_seating.infrastructure.keys import SeatingKeys

# An event is re-registered at most this often per process.
REGISTER_EVERY_SECONDS = 10.0


class RedisEventRegistry:
    """``max_lifetime_seconds`` bounds how long the sweeper must keep visiting an event."""

    def __init__(
        self, client: RedisClient, keys: SeatingKeys, *, max_lifetime_seconds: float
    ) -> None:
        self._client = client
        self._key = keys.registry
        self._window_ms = milliseconds(
            max_lifetime_seconds + TOMBSTONE_SECONDS + REGISTER_EVERY_SECONDS
        )
        self._registered: dict[str, float] = {}

    async def register(self, event_id: str, now_ms: int) -> None:
        """Tell the sweeper this event has holds; at most every few seconds per process."""
        last = self._registered.get(event_id)
        moment = time.monotonic()
        if last is not None and moment - last < REGISTER_EVERY_SECONDS:
            return
        with redis_faults():
            await self._client.zadd(self._key, {event_id: now_ms})
        self._registered[event_id] = moment

    async def recent(self, now_ms: int) -> list[str]:
        """Events registered within the window, forgetting those registered before it."""
        horizon = now_ms - self._window_ms
        with redis_faults():
            registered = cast(
                "list[bytes]", await self._client.zrangebyscore(self._key, horizon, "+inf")
            )
            await self._client.zremrangebyscore(self._key, "-inf", f"({horizon}")
        return [event.decode() for event in registered]
