"""Holds, GA pools, availability."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lml_seating.application import (
        AvailabilityEvents,
        Clock,
        HoldIdentities,
        HoldRules,
        Inventory,
        SeatLocks,
    )
    from lml_seating.fakes import (
        InMemoryAvailabilityEvents,
        InMemoryInventory,
        InMemorySeatLocks,
        ManualClock,
        SequentialHoldIdentities,
    )
    from lml_seating.infrastructure import (
        CachedHoldRules,
        MeteredSeatLocks,
        PostgresHoldRules,
        PostgresInventory,
        RandomHoldIdentities,
        RedisAvailabilityEvents,
        RedisSeatLocks,
        SystemClock,
    )

    def _every_adapter_fits_its_port(
        memory_locks: InMemorySeatLocks,
        redis_locks: RedisSeatLocks,
        metered_locks: MeteredSeatLocks,
        memory_events: InMemoryAvailabilityEvents,
        redis_events: RedisAvailabilityEvents,
        memory_inventory: InMemoryInventory,
        postgres_inventory: PostgresInventory,
        postgres_rules: PostgresHoldRules,
        cached_rules: CachedHoldRules,
        manual_clock: ManualClock,
        system_clock: SystemClock,
        sequential: SequentialHoldIdentities,
        random: RandomHoldIdentities,
    ) -> tuple[
        list[SeatLocks],
        list[AvailabilityEvents],
        list[Inventory],
        list[HoldRules],
        list[Clock],
        list[HoldIdentities],
    ]:
        return (
            [memory_locks, redis_locks, metered_locks],
            [memory_events, redis_events],
            [memory_inventory, postgres_inventory],
            [memory_inventory, postgres_rules, cached_rules],
            [manual_clock, system_clock],
            [sequential, random],
        )
