"""Hold rules cached per process for a few seconds: they change rarely, holds come often.

An event's rules are read on every hold; caching them keeps the hot path at one Lua
call and one PostgreSQL transaction. A change (say to ``max_seats_per_hold``) applies
within ``ttl_seconds``. Events that do not exist are not cached, so a new event is
holdable at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from lml_seating.application.ports import HoldRules
from lml_seating.domain import EventRules

MAX_ENTRIES = 10_000


class CachedHoldRules:
    def __init__(
        self,
        rules: HoldRules,
        *,
        ttl_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rules = rules
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[tuple[str, str], tuple[float, EventRules]] = {}

    async def rules(self, tenant_id: str, event_id: str) -> EventRules | None:
        key = (tenant_id, event_id)
        now = self._monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = await self._rules.rules(tenant_id, event_id)
        if found is None:
            self._cache.pop(key, None)
            return None
        if len(self._cache) >= MAX_ENTRIES:
            self._cache.clear()
        self._cache[key] = (now + self._ttl, found)
        return found
