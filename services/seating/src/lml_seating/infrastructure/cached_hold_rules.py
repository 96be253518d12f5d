"""Hold rules cached per process for a few seconds: they change rarely, holds come often.

An event's rules are read on every hold; caching them keeps the hot path at one Lua
call and one PostgreSQL transaction. A change (say to ``max_seats_per_hold``) applies
within ``ttl_seconds``. Events that do not exist are not cached, so a new event is
holdable at once. When an entry ages out under load, the requests that find it missing
share one read instead of each sending its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from lml_batching import Batcher
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
        self._reads: Batcher[tuple[str, str], None, EventRules | None] = Batcher(
            self._read, max_size=MAX_ENTRIES
        )

    async def rules(self, org_id: str, event_id: str) -> EventRules | None:
        key = (org_id, event_id)
        return self._fresh(key) or await self._reads.submit(key, None)

    def _fresh(self, key: tuple[str, str]) -> EventRules | None:
        cached = self._cache.get(key)
        return cached[1] if cached is not None and cached[0] > self._monotonic() else None

    async def _read(self, key: tuple[str, str], callers: list[None]) -> list[EventRules | None]:
        # Callers that queued while an earlier read ran find its result here.
        found = self._fresh(key) or await self._rules.rules(*key)
        if found is None:
            self._cache.pop(key, None)
        else:
            if len(self._cache) >= MAX_ENTRIES:
                self._cache.clear()
            self._cache[key] = (self._monotonic() + self._ttl, found)
        return [found] * len(callers)
