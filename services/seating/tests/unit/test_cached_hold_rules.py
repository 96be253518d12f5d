"""Hold rules cached for a few seconds, never caching an unknown event."""

from __future__ import annotations

import asyncio

from lml_seating.domain import EventRules
from lml_seating.infrastructure import CachedHoldRules


class CountingRules:
    def __init__(self) -> None:
        self.reads = 0
        self.known: dict[str, EventRules] = {}

    async def rules(self, org_id: str, event_id: str) -> EventRules | None:
        self.reads += 1
        await asyncio.sleep(0.01)
        return self.known.get(event_id)


RULES = EventRules(
    event_id="evt_1", max_seats_per_hold=4, sales_channels=frozenset(), zone_capacities={}
)


async def test_given_cached_rules_then_they_are_reused_until_they_age_out() -> None:
    now = [0.0]
    source = CountingRules()
    source.known["evt_1"] = RULES
    cached = CachedHoldRules(source, ttl_seconds=5, monotonic=lambda: now[0])

    assert await cached.rules("org", "evt_1") == RULES
    assert await cached.rules("org", "evt_1") == RULES
    now[0] = 5.1
    assert await cached.rules("org", "evt_1") == RULES

    assert source.reads == 2


async def test_given_an_unknown_event_then_the_next_read_asks_again() -> None:
    source = CountingRules()
    cached = CachedHoldRules(source, ttl_seconds=5)

    assert await cached.rules("org", "evt_1") is None
    source.known["evt_1"] = RULES

    assert await cached.rules("org", "evt_1") == RULES


async def test_given_many_requests_missing_the_same_entry_then_one_read_serves_them_all() -> None:
    source = CountingRules()
    source.known["evt_1"] = RULES
    cached = CachedHoldRules(source, ttl_seconds=5)

    first = [asyncio.create_task(cached.rules("org", "evt_1")) for _ in range(20)]
    await asyncio.sleep(0.005)
    later = [asyncio.create_task(cached.rules("org", "evt_1")) for _ in range(20)]

    assert await asyncio.gather(*first, *later) == [RULES] * 40
    assert source.reads == 1
